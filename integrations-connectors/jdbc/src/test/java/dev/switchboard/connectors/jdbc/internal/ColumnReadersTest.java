package dev.switchboard.connectors.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonValue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

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

    @Test
    void postgresJsonColumnsReadFromTheirBytesAsTheGeneralReadDoes() throws SQLException {
        DataSource text = TestDatabases.newPostgresDatabase();
        String database = TestDatabases.databaseOf(text);
        PGSimpleDataSource binary = (PGSimpleDataSource) TestDatabases.postgresDataSource(database, "postgres", null);
        // Binary transfer for json (114) and jsonb (3802), used from a statement's first run.
        binary.setBinaryTransferEnable("114,3802");
        binary.setPrepareThreshold(-1);
        try (Connection c = text.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE j (id int PRIMARY KEY, a jsonb, b json)");
            s.execute(
                    "INSERT INTO j VALUES"
                            + " (1, '{\"tier\": 3, \"name\": \"Zoë \u00e9\u4e2d\ud83d\ude00\", \"tags\": [\"a\", 1.50, null]}',"
                            + " '{\"k\": \"\u00e9\", \"n\": 1e3}'),"
                            + " (2, NULL, NULL), (3, '[]', '\"just text\"'), (4, '12.5000', 'true'), (5, 'null', ' [ 1 , 2 ] ')");
        }
        // The general read (getString, parsed) over the text format is the reference for both formats: pgjdbc's
        // getString does not decode a binary jsonb.
        List<JsonValue> reference = new ArrayList<>();
        int binaryValues = 0;
        for (DataSource ds : new DataSource[] {text, binary}) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT a, b FROM j ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                int at = 0;
                while (rs.next()) {
                    for (int i = 1; i <= 2; i++) {
                        byte[] raw = rs.getBytes(i);
                        if (ds == text) {
                            reference.add(ColumnTypes.read(rs, i, ColumnTypes.Kind.JSON));
                        } else if (raw != null && raw.length > 0 && raw[0] == 1) {
                            binaryValues++;
                        }
                        JsonValue expected = reference.get(at++);
                        JsonValue fromBytes = ColumnTypes.postgresJson(i == 1).read(rs, i);
                        assertThat(fromBytes).as("value %d", at).isEqualTo(expected);
                        assertThat(Json.canonicalDigest(fromBytes)).isEqualTo(Json.canonicalDigest(expected));
                    }
                }
                assertThat(at).isEqualTo(10);
            }
        }
        // The second data source really sent jsonb in PostgreSQL's binary format (version byte first).
        assertThat(binaryValues).isGreaterThanOrEqualTo(4);
    }

    @Test
    void postgresUuidColumnsReadFromTheirTextAsTheGeneralReadDoes() throws SQLException {
        DataSource text = TestDatabases.newPostgresDatabase();
        String database = TestDatabases.databaseOf(text);
        PGSimpleDataSource binary = (PGSimpleDataSource) TestDatabases.postgresDataSource(database, "postgres", null);
        binary.setBinaryTransferEnable("2950"); // uuid
        binary.setPrepareThreshold(-1);
        Random random = new Random(29);
        StringBuilder values = new StringBuilder("(0, NULL), (1, '00000000-0000-0000-0000-000000000000'),"
                + " (2, 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'), (3, '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}')");
        for (int i = 4; i < 200; i++) {
            values.append(", (")
                    .append(i)
                    .append(", '")
                    .append(new java.util.UUID(random.nextLong(), random.nextLong()))
                    .append("')");
        }
        try (Connection c = text.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE u (id int PRIMARY KEY, ref uuid)");
            s.execute("INSERT INTO u VALUES " + values);
        }
        int binaryValues = 0;
        for (DataSource ds : new DataSource[] {text, binary}) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT ref FROM u ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                int rows = 0;
                while (rs.next()) {
                    JsonValue expected = ColumnTypes.read(rs, 1, ColumnTypes.Kind.UUID);
                    assertThat(ColumnTypes.postgresUuid().read(rs, 1))
                            .as("row %d", rows)
                            .isEqualTo(expected);
                    byte[] raw = rs.getBytes(1);
                    binaryValues += raw != null && raw.length == 16 ? 1 : 0;
                    rows++;
                }
                assertThat(rows).isEqualTo(200);
            }
        }
        // The second data source really sent uuids in the binary format (16 bytes, not 36 characters).
        assertThat(binaryValues).isEqualTo(199);
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
