package dev.switchboard.connectors.jdbc.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL from configuration with named parameters ({@code :user_id}), turned into JDBC's {@code ?} placeholders
 * and the list of names in placeholder order. Text inside single quotes, double quotes and comments is left
 * alone, and PostgreSQL's {@code ::type} cast is not a parameter.
 *
 * @param chunks the text around the parameters: one more than there are parameters
 * @param names the parameter name of each placeholder, in order (a name used twice appears twice)
 */
public record NamedSql(List<String> chunks, List<String> names) {
    public NamedSql {
        chunks = List.copyOf(chunks);
        names = List.copyOf(names);
        if (chunks.size() != names.size() + 1) {
            throw new IllegalArgumentException("one more chunk than names is needed");
        }
    }

    /** The statement with one {@code ?} per parameter. */
    public String sql() {
        return render(name -> 1);
    }

    /**
     * The statement with {@code count(name)} placeholders, separated by commas, for each parameter: a list
     * parameter ({@code role IN (:roles)}) takes one per element. A count below 1 is taken as 1.
     */
    public String render(java.util.function.ToIntFunction<String> count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            out.append(chunks.get(i));
            int k = Math.max(1, count.applyAsInt(names.get(i)));
            for (int j = 0; j < k; j++) {
                out.append(j == 0 ? "?" : ", ?");
            }
        }
        return out.append(chunks.get(names.size())).toString();
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when a quote or comment is not closed
     */
    public static NamedSql parse(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> chunks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closing(text, i, c);
                out.append(text, i, end + 1);
                i = end + 1;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(text, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("a comment is not closed in: " + text);
                }
                out.append(text, i, end + 2);
                i = end + 2;
            } else if (c == ':' && i + 1 < n && text.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(text.charAt(end))) {
                    end++;
                }
                names.add(text.substring(i + 1, end));
                chunks.add(out.toString());
                out.setLength(0);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        chunks.add(out.toString());
        return new NamedSql(chunks, names);
    }

    private static int closing(String text, int open, char quote) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2; // an escaped quote
                    continue;
                }
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("a quote (" + quote + ") is not closed in: " + text);
    }
}
