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
        int end = extensionStart(t);
        char[] digits = new char[Math.min(end, 21) + 1];
        int n = 0;
        boolean plus = false;
        for (int i = 0; i < end; i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                if (n == 20) {
                    return Optional.empty();
                }
                digits[n++ + (plus ? 1 : 0)] = c;
            } else if (c == '+' && n == 0 && !plus) {
                plus = true;
                digits[0] = '+';
            } else if (" -().\u00a0/".indexOf(c) < 0) {
                return Optional.empty();
            }
        }
        if (n < 3) {
            return Optional.empty();
        }
        return Optional.of(new Phone(t, new String(digits, 0, n + (plus ? 1 : 0))));
    }

    /** Where an extension ({@code ext 12}, {@code x12}, {@code #12}) starts, else the length. */
    private static int extensionStart(String t) {
        for (int i = 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '#') {
                return i;
            }
            if (c == ' ' && i + 1 < t.length()) {
                char next = Character.toLowerCase(t.charAt(i + 1));
                if (next == 'x' || (next == 'e' && t.regionMatches(true, i + 1, "ext", 0, 3))) {
                    return i;
                }
            }
        }
        return t.length();
    }

    /** Masks the number: it is personal data. */
    @Override
    public String toString() {
        return "Phone[***" + dialable.substring(Math.max(0, dialable.length() - 2)) + "]";
    }
}
