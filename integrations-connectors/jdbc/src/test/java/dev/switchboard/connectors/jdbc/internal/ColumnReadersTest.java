package dev.switchboard.connectors.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonValue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The per-column readers chosen once per result give exactly what {@link ColumnTypes#read} gives. */
class ColumnReadersTest {
    private static final long FIRST_FOUR_DIGIT_SECOND =
            Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long LAST_FOUR_DIGIT_SECOND =
            Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Test
    void instantTextIsInstantToString() {
        Random random = new Random(13);
        for (int i = 0; i < 300_000; i++) {
            long seconds = switch (i % 4) {
                // around the four-digit years' edges, where the fast path hands over
                case 0 ->
                    (random.nextBoolean() ? FIRST_FOUR_DIGIT_SECOND : LAST_FOUR_DIGIT_SECOND)
                            + random.nextInt(200_001)
                            - 100_000;
                case 1 ->
                    FIRST_FOUR_DIGIT_SECOND
                            + (long) (random.nextDouble() * (LAST_FOUR_DIGIT_SECOND - FIRST_FOUR_DIGIT_SECOND));
                case 2 -> random.nextInt(2_000_000_000) * (random.nextBoolean() ? 1L : -1L); // 1906 to 2033
                default ->
                    Instant.MIN.getEpochSecond()
                            + (long) (random.nextDouble()
                                    * (Instant.MAX.getEpochSecond() - Instant.MIN.getEpochSecond()));
            };
            int nano = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                case 3 -> random.nextInt(10) * 100; // a fraction with zeros at both ends
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(ColumnTypes.instantText(instant)).as("%s", instant).isEqualTo(instant.toString());
        }
        for (String edge : new String[] {
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00.000001Z",
            "-0001-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z"
        }) {
            Instant instant = Instant.parse(edge);
            assertThat(ColumnTypes.instantText(instant))
                    .isEqualTo(instant.toString())
                    .isEqualTo(edge);
        }
    }

    @Test
    void signedIntegerColumnsReadAsTheGeneralReadDoesOnPostgres() throws SQLException {
        sameAsTheGeneralRead(
                TestDatabases.newPostgresDatabase(),
                "CREATE TABLE n (a smallint, b integer, c bigint, d numeric(30, 0), e bigserial)",
                "INSERT INTO n (a, b, c, d) VALUES (0, 0, 0, 0), (NULL, NULL, NULL, NULL), (-32768, -2147483648,"
                        + " -9223372036854775808, -12345678901234567890123), (32767, 2147483647, 9223372036854775807,"
                        + " 12345678901234567890123), (-1, 1, 42, 7)");
    }

    @Test
    void signedIntegerColumnsReadAsTheGeneralReadDoesOnH2() throws SQLException {
        sameAsTheGeneralRead(
                TestDatabases.newH2(),
                "CREATE TABLE n (a SMALLINT, b INTEGER, c BIGINT, d TINYINT, e NUMERIC(30, 0))",
                "INSERT INTO n VALUES (0, 0, 0, 0, 0), (NULL, NULL, NULL, NULL, NULL), (-32768, -2147483648,"
                        + " -9223372036854775808, -128, -12345678901234567890123), (32767, 2147483647,"
                        + " 9223372036854775807, 127, 12345678901234567890123)");
    }

    /** Every column read both ways: equal values, equal text, equal canonical digest (a record's version). */
    private static void sameAsTheGeneralRead(DataSource dataSource, String create, String insert) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(create);
            s.execute(insert);
            int integers = 0;
            try (ResultSet rs = s.executeQuery("SELECT * FROM n")) {
                ResultSetMetaData md = rs.getMetaData();
                int rows = 0;
                while (rs.next()) {
                    rows++;
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        ColumnTypes.Kind kind = ColumnTypes.kind(md.getColumnType(i), md.getColumnTypeName(i));
                        if (kind == ColumnTypes.Kind.INTEGER && md.isSigned(i)) {
                            integers++;
                        }
                        JsonValue general = ColumnTypes.read(rs, i, kind);
                        JsonValue chosen =
                                ColumnTypes.reader(kind, md.isSigned(i)).read(rs, i);
                        assertThat(chosen).as("column %d row %d", i, rows).isEqualTo(general);
                        assertThat(chosen.toJson()).isEqualTo(general.toJson());
                        assertThat(Json.canonicalDigest(chosen)).isEqualTo(Json.canonicalDigest(general));
                    }
                }
                assertThat(rows).isGreaterThanOrEqualTo(4);
            }
            assertThat(integers).as("signed integer values read by getLong").isGreaterThanOrEqualTo(12);
        }
    }
}
