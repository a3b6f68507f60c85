package dev.switchboard.normalize;

import java.util.Optional;

/**
 * A phone number as the source wrote it, and its dialable form: digits with a leading {@code +}
 * kept, separators dropped. No numbering plan is applied: {@code 0171...} and {@code +44171...}
 * stay different.
 *
 * @param raw the source's text
 * @param dialable digits, with a leading {@code +} when the source had one
 */
public record Phone(String raw, String dialable) {
  /** The number, if {@code text} holds 3 to 20 digits and only phone punctuation. Never throws. */
  public static Optional<Phone> parse(String text) {
    String t = text.trim();
    StringBuilder digits = new StringBuilder(t.length());
    int extension = indexOfExtension(t);
    String main = extension < 0 ? t : t.substring(0, extension);
    for (int i = 0; i < main.length(); i++) {
      char c = main.charAt(i);
      if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (c == '+' && digits.length() == 0 && i == main.indexOf('+')) {
        digits.append(c);
      } else if (" -().\u00a0/".indexOf(c) < 0) {
        return Optional.empty();
      }
    }
    int count = digits.length() > 0 && digits.charAt(0) == '+' ? digits.length() - 1 : digits.length();
    if (count < 3 || count > 20) {
      return Optional.empty();
    }
    return Optional.of(new Phone(t, digits.toString()));
  }

  private static int indexOfExtension(String t) {
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    for (String marker : new String[] {" ext", " x", "#"}) {
      int i = lower.indexOf(marker);
      if (i > 0) {
        return i;
      }
    }
    return -1;
  }

  /** Masks the number: it is personal data. */
  @Override
  public String toString() {
    return "Phone[***" + dialable.substring(Math.max(0, dialable.length() - 2)) + "]";
  }
}
