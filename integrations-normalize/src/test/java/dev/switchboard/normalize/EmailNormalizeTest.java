package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The address checks by index into the address against the same checks on the domain cut out as a substring. */
class EmailNormalizeTest {
    private static final String ALPHABET = "aZ9.@-_ ,;<>()\"\t+.@..-";

    @Test
    void indexChecksAgreeWithSubstringChecks() {
        Random random = new Random(20261205L);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(16);
            for (int c = 0; c < length; c++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String text = sb.toString();
            assertThat(Email.normalize(text)).as("'%s'", text).isEqualTo(withSubstring(text));
        }
        for (String text :
                new String[] {"a@b.c", "a@.b", "a@b.", "a@-b.c", "a@b..c", "a.b@c", "A@B.CO ", "@b.c", "a@"}) {
            assertThat(Email.normalize(text)).as(text).isEqualTo(withSubstring(text));
        }
    }

    /** The checks as they were, the domain taken out with substring: the reference. */
    private static @Nullable String withSubstring(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int at = t.lastIndexOf('@');
        if (at <= 0 || at != t.indexOf('@') || at == t.length() - 1) {
            return null;
        }
        String domain = t.substring(at + 1);
        int dot = domain.lastIndexOf('.');
        if (dot <= 0 || dot == domain.length() - 1 || domain.startsWith("-") || domain.contains("..")) {
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
}
