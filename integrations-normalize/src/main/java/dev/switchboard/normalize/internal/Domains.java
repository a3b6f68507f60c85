package dev.switchboard.normalize.internal;

import java.util.Locale;
import java.util.Optional;

/** Web domains compared across sources: {@code https://www.Acme.com/about} and {@code acme.com} are one. */
public final class Domains {
    private Domains() {}

    /**
     * The host of a domain, URL or email address: lower case, without scheme, user, port, path,
     * trailing dot or a leading {@code www.}; empty when what remains is not shaped like a domain
     * (no dot, an empty label, a character no host name has). Never throws.
     */
    public static Optional<String> normalize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int scheme = t.indexOf("://");
        if (scheme >= 0) {
            t = t.substring(scheme + 3);
        } else if (t.startsWith("//")) {
            t = t.substring(2);
        }
        t = cut(t, '/');
        t = cut(t, '?');
        t = cut(t, '#');
        t = t.substring(t.lastIndexOf('@') + 1);
        t = cut(t, ':');
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.startsWith("www.")) {
            t = t.substring(4);
        }
        if (t.isEmpty() || t.length() > 253 || t.indexOf('.') < 0) {
            return Optional.empty();
        }
        for (String label : t.split("\\.", -1)) {
            if (label.isEmpty() || label.startsWith("-") || label.endsWith("-")) {
                return Optional.empty();
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c != '-' && !Character.isLetterOrDigit(c)) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(t);
    }

    private static String cut(String t, char at) {
        int i = t.indexOf(at);
        return i < 0 ? t : t.substring(0, i);
    }
}
