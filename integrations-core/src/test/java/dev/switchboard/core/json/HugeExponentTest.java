package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers with huge exponents: beyond an {@code int} Jackson throws a bare {@link NumberFormatException}
 * (seen escaping {@link Json#parse} before the fix), and within it {@code 1e999999999} is a short token whose
 * plain form is a billion digits. Both are the parser's typed {@link JsonFormatException}, which never quotes
 * the input.
 */
class HugeExponentTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e999999999",
                "-1e-999999999",
                "1e9999999999",
                "1e-9999999999",
                "-1.5E+99999999999999999999",
                "[1, 2, 1e2147483648]",
                "{\"amount\": 1e9999999999}",
                "{\"a\": {\"b\": [0.1e-2147483649]}}",
                "1e10001",
                "1e-10001"
            })
    void aNumberWithAHugeExponentIsAJsonFormatException(String text) {
        assertThatThrownBy(() -> Json.parse(text.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(JsonFormatException.class)
                .hasMessageContaining("number out of range")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("999").doesNotContain("10001"));
    }

    @Test
    void anExponentAtTheBoundParsesExactly() {
        // Written by hand: 1e10000 is the unscaled value 1 with scale -10000; 2.5e-10000 is 25 with scale 10001 - 1.
        BigDecimal big = ((JsonNumber) Json.parse("1e10000")).value();
        assertThat(big.unscaledValue()).isEqualTo(BigInteger.ONE);
        assertThat(big.scale()).isEqualTo(-10_000);
        BigDecimal small = ((JsonNumber) ((JsonArray) Json.parse("[2.5e-9999]")).get(0)).value();
        assertThat(small.unscaledValue()).isEqualTo(BigInteger.valueOf(25));
        assertThat(small.scale()).isEqualTo(10_000);
    }
}
