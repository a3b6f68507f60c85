package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoqlTest {
    private static final Set<String> FIELDS = Set.of("Id", "Subject", "Status", "SystemModstamp", "Custom_Field__c");

    private static Soql cases() {
        return Soql.from("Case", FIELDS).select(List.of("Id", "Subject"));
    }

    @Test
    void buildsTheIncrementalQuery() {
        String soql = cases().after("SystemModstamp", Instant.parse("2026-05-01T08:01:00Z"), "Id", "500RO0000000003AAA")
                .orderBy("SystemModstamp", "Id")
                .limit(10)
                .text();

        assertThat(soql)
                .isEqualTo("SELECT Id, Subject FROM Case WHERE (SystemModstamp > 2026-05-01T08:01:00.000Z OR"
                        + " (SystemModstamp = 2026-05-01T08:01:00.000Z AND Id > '500RO0000000003AAA'))"
                        + " ORDER BY SystemModstamp ASC, Id ASC LIMIT 10");
    }

    @Test
    void escapesEverySoqlEscapeInValues() {
        assertThat(Soql.quote("O'Brien")).isEqualTo("'O\\'Brien'");
        assertThat(Soql.quote("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(Soql.quote("say \"hi\"")).isEqualTo("'say \\\"hi\\\"'");
        assertThat(Soql.quote("a\nb\rc\td\be\ff")).isEqualTo("'a\\nb\\rc\\td\\be\\ff'");
        assertThat(Soql.quote("100% _sure_")).isEqualTo("'100% _sure_'");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "x' OR Id != '",
                "x\\' OR Id != '",
                "x\\",
                "'; DELETE FROM Case",
                "x') OR (Id != 'y",
                "\\\\' OR Name LIKE '%"
            })
    void hostileValuesNeverCloseTheirLiteral(String hostile) {
        String soql = cases().whereEquals("Subject", hostile).text();

        String literal = soql.substring(soql.indexOf("Subject = ") + "Subject = ".length());
        assertThat(literal).startsWith("'").endsWith("'");
        // Inside the literal, every quote is escaped: an odd run of backslashes precedes it.
        String inner = literal.substring(1, literal.length() - 1);
        for (int i = 0; i < inner.length(); i++) {
            if (inner.charAt(i) == '\'') {
                int backslashes = 0;
                for (int j = i - 1; j >= 0 && inner.charAt(j) == '\\'; j--) {
                    backslashes++;
                }
                assertThat(backslashes % 2).as("quote at %d of %s", i, inner).isEqualTo(1);
            }
        }
        assertThat(unquote(literal)).isEqualTo(hostile);
    }

    @Test
    void refusesControlCharactersSoqlCannotEscape() {
        assertThatThrownBy(() -> Soql.quote("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Subject FROM Case WHERE Id != null --",
                "Id, (SELECT Id FROM Contacts)",
                "Subject__c__c",
                "1Subject",
                "Sub ject",
                "Subject;",
                "",
                "Status__",
                "_Status"
            })
    void refusesNamesThatAreNotDeclaredApiNames(String name) {
        assertThatThrownBy(() -> cases().whereEquals(name, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.from("Case", FIELDS).select(List.of(name)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cases().orderBy(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnObjectOrAllowedFieldThatIsNotAnApiName() {
        assertThatThrownBy(() -> Soql.from("Case WHERE Id != null", FIELDS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.from("Case", Set.of("Id, Name"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsStandardCustomAndNamespacedNames() {
        assertThat(Soql.isIdentifier("SystemModstamp")).isTrue();
        assertThat(Soql.isIdentifier("Custom_Field__c")).isTrue();
        assertThat(Soql.isIdentifier("ns__Field__c")).isTrue();
        assertThat(Soql.isIdentifier("Account__r")).isTrue();
    }

    /** Reads a SOQL literal back the way Salesforce does. */
    private static String unquote(String literal) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char e = literal.charAt(++i);
                sb.append(
                        switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'f' -> '\f';
                            default -> e;
                        });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void writesEachFieldTypesLiteralAsSoqlWantsIt() {
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.BOOLEAN, "TRUE"))
                .isEqualTo("true");
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.NUMBER, " 1e3"))
                .isEqualTo("1000");
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.INTEGER, "-42"))
                .isEqualTo("-42");
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.DATE, "2026-05-01"))
                .isEqualTo("2026-05-01");
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.TIMESTAMP, "2026-05-01T08:00:00.000+0000"))
                .isEqualTo("2026-05-01T08:00:00.000Z");
        assertThat(Soql.literal(dev.switchboard.core.model.FieldType.STRING, "true"))
                .isEqualTo("'true'");
    }

    @Test
    void refusesALiteralNotOfItsFieldsType() {
        for (var t : List.of(
                dev.switchboard.core.model.FieldType.BOOLEAN,
                dev.switchboard.core.model.FieldType.NUMBER,
                dev.switchboard.core.model.FieldType.DATE,
                dev.switchboard.core.model.FieldType.TIMESTAMP)) {
            assertThatThrownBy(() -> Soql.literal(t, "1 OR Id != null"))
                    .as("%s", t)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Soql.literal(dev.switchboard.core.model.FieldType.INTEGER, "1.5"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildsTheLookBackCondition() {
        String soql = cases().atOrAfter("SystemModstamp", Instant.parse("2026-05-01T07:51:00Z"))
                .orderBy("SystemModstamp", "Id")
                .text();
        assertThat(soql)
                .endsWith("WHERE SystemModstamp >= 2026-05-01T07:51:00.000Z ORDER BY SystemModstamp ASC, Id ASC");
    }
}
