package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.jdbc.internal.cdc.PgTextValues;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonString;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's text output forms (as its documentation gives them) that the live tests do not produce: offsets
 * with seconds, values no Java type holds, several dimensions, bytea's escape format. Type OIDs are PostgreSQL's.
 */
class PgCdcTextValuesTest {
    private static final int TIMESTAMPTZ = 1184;
    private static final int TIMESTAMP = 1114;
    private static final int NUMERIC = 1700;
    private static final int BYTEA = 17;
    private static final int INT4_ARRAY = 1007;
    private static final int TEXT_ARRAY = 1009;
    private static final int TIMETZ = 1266;
    private static final int FLOAT8 = 701;

    @Test
    void timestampsWithAnyOffsetFormBecomeInstants() {
        assertThat(PgTextValues.toJson(TIMESTAMPTZ, "2024-03-01 12:34:56+05:30"))
                .isEqualTo(new JsonString("2024-03-01T07:04:56Z"));
        assertThat(PgTextValues.toJson(TIMESTAMPTZ, "1900-01-01 00:00:00+00:09:21"))
                .isEqualTo(new JsonString("1899-12-31T23:50:39Z"));
        assertThat(PgTextValues.toJson(TIMESTAMPTZ, "2024-03-01 12:34:56.123456-03"))
                .isEqualTo(new JsonString("2024-03-01T15:34:56.123456Z"));
        assertThat(PgTextValues.toJson(TIMETZ, "12:34:56+02")).isEqualTo(new JsonString("12:34:56+02:00"));
    }

    @Test
    void valuesNoJavaTypeHoldsStayPostgresText() {
        assertThat(PgTextValues.toJson(TIMESTAMPTZ, "infinity")).isEqualTo(new JsonString("infinity"));
        assertThat(PgTextValues.toJson(TIMESTAMP, "-infinity")).isEqualTo(new JsonString("-infinity"));
        assertThat(PgTextValues.toJson(TIMESTAMPTZ, "0044-03-15 12:00:00+00 BC"))
                .isEqualTo(new JsonString("0044-03-15 12:00:00+00 BC"));
        assertThat(PgTextValues.toJson(NUMERIC, "NaN")).isEqualTo(new JsonString("NaN"));
        assertThat(PgTextValues.toJson(FLOAT8, "Infinity")).isEqualTo(new JsonString("Infinity"));
        assertThat(PgTextValues.toJson(NUMERIC, null)).isEqualTo(JsonNull.INSTANCE);
    }

    @Test
    void arraysOfSeveralDimensionsAndExplicitBoundsAreNestedJsonArrays() {
        assertThat(PgTextValues.toJson(INT4_ARRAY, "{{1,2},{3,NULL}}"))
                .isEqualTo(JsonArray.of(
                        JsonArray.of(JsonNumber.of(1), JsonNumber.of(2)),
                        JsonArray.of(JsonNumber.of(3), JsonNull.INSTANCE)));
        assertThat(PgTextValues.toJson(INT4_ARRAY, "[0:1]={7,8}"))
                .isEqualTo(JsonArray.of(JsonNumber.of(7), JsonNumber.of(8)));
        assertThat(PgTextValues.toJson(INT4_ARRAY, "{}")).isEqualTo(JsonArray.empty());
        assertThat(PgTextValues.toJson(TEXT_ARRAY, "{\"NULL\",NULL,\"back\\\\slash\",\"{braces}\"}"))
                .isEqualTo(JsonArray.of(
                        new JsonString("NULL"),
                        JsonNull.INSTANCE,
                        new JsonString("back\\slash"),
                        new JsonString("{braces}")));
    }

    @Test
    void byteaInHexAndEscapeFormatsIsBase64() {
        assertThat(PgTextValues.toJson(BYTEA, "\\x00ff10")).isEqualTo(new JsonString("AP8Q"));
        assertThat(PgTextValues.toJson(BYTEA, "a\\000\\\\")).isEqualTo(new JsonString("YQBc"));
    }

    @Test
    void numericKeepsEveryDigit() {
        assertThat(PgTextValues.toJson(NUMERIC, "-0.000000000000000000000000000001"))
                .isEqualTo(new JsonNumber(new BigDecimal("-1E-30")));
        assertThat(((JsonNumber) PgTextValues.toJson(NUMERIC, "123456789012345678901234567890.5"))
                        .value()
                        .toPlainString())
                .isEqualTo("123456789012345678901234567890.5");
    }
}
