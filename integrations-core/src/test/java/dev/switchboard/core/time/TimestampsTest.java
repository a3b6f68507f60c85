package dev.switchboard.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void readsTheVendorsShapes() {
        Instant expected = Instant.parse("2024-05-01T10:12:33Z");
        assertThat(Timestamps.parse("2024-05-01T10:12:33.000+0000")).contains(expected);
        assertThat(Timestamps.parse("2024-05-01T10:12:33Z")).contains(expected);
        assertThat(Timestamps.parse("2024-05-01T12:12:33+02:00")).contains(expected);
        assertThat(Timestamps.parse("2024-05-01T05:42:33.000-0430")).contains(expected);
        assertThat(Timestamps.parse("2023-02-24T03:00:13.460Z")).contains(Instant.parse("2023-02-24T03:00:13.460Z"));
        assertThat(Timestamps.parse("1714558353")).contains(expected);
        assertThat(Timestamps.parse("1714558353000")).contains(expected);
        assertThat(Timestamps.parse("1512085950.000216")).contains(Instant.parse("2017-11-30T23:52:30.000216Z"));
    }

    @Test
    void refusesWhatIsNotAnInstant() {
        for (String text : new String[] {
            "",
            "2024-05-01T10:12:33",
            "2024-02-30T10:12:33Z",
            "2024-13-01T10:12:33Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T10:12:33+25:00",
            "yesterday",
            "1.2.3",
            "2024-05-01 10:12:33Z",
            "2024-05-01T10:12:33.0000000001Z"
        }) {
            assertThat(Timestamps.parse(text)).as(text).isEmpty();
        }
    }

    /** The hand-written path agrees with java.time on every instant, fraction and offset. */
    @Property(tries = 3000)
    void agreesWithJavaTime(
            @ForAll @LongRange(min = -2_000_000_000L, max = 32_000_000_000L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos,
            @ForAll @IntRange(min = -18 * 4, max = 18 * 4) int quarterHours,
            @ForAll @IntRange(min = 0, max = 3) int style) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(quarterHours * 900);
        OffsetDateTime time = Instant.ofEpochSecond(seconds, nanos).atOffset(offset);
        String text = switch (style) {
            case 0 -> time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case 1 -> time.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxx"));
            case 2 ->
                time.withOffsetSameInstant(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'"));
            default -> time.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx"));
        };
        Optional<Instant> parsed = Timestamps.parse(text);
        Instant reference = OffsetDateTime.parse(text.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2"))
                .toInstant();
        assertThat(parsed).as(text).contains(reference);
    }

    @Test
    void epochNumbersInSecondsOrMilliseconds() {
        assertThat(Timestamps.epoch(new BigDecimal("1714558353.5")))
                .contains(Instant.parse("2024-05-01T10:12:33.500Z"));
        assertThat(Timestamps.epoch(new BigDecimal("1714558353500")))
                .contains(Instant.parse("2024-05-01T10:12:33.500Z"));
        assertThat(Timestamps.epoch(new BigDecimal("1e30"))).isEmpty();
    }
}
