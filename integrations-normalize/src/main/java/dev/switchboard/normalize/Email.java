package dev.switchboard.normalize;

import java.util.Locale;
import java.util.Optional;

/**
 * An email address, trimmed and lower-cased so that the same mailbox compares equal across sources.
 * Only the shape {@code local@domain.tld} is checked; deliverability is not.
 */
public record Email(String address) {
    public Email {
        String normalized = normalize(address);
        if (normalized == null) {
            throw new IllegalArgumentException("not an email address (expected local@domain)");
        }
        address = normalized;
    }

    /** The address, if {@code text} is shaped like one. Never throws. */
    public static Optional<Email> parse(String text) {
        try {
            return Optional.of(new Email(text)); // normalizes once; the exception is the rare path
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The part after {@code @}, e.g. {@code acme.com}: used to link people to organizations. */
    public String domain() {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    static @org.jspecify.annotations.Nullable String normalize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        if (at <= 0 || at != t.indexOf('@') || at == t.length() - 1) {
            return null;
        }
        // The domain's checks by index into the address: no substring per address.
        int dot = t.lastIndexOf('.');
        if (dot <= at + 1 || dot == t.length() - 1 || t.charAt(at + 1) == '-' || t.indexOf("..", at + 1) >= 0) {
            return null;
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= ' ' || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' || c == '"') {
                return null;
            }
        }
        return t;
    }

    /** Masks the address: it is personal data. */
    @Override
    public String toString() {
        return "Email[" + address.charAt(0) + "***@" + domain() + "]";
    }
}
