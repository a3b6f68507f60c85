package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class SalesforceTimeTest {
    @Test
    void parsesTheColonlessOffsetThatOffsetDateTimeRejects() {
        assertThatThrownBy(() -> OffsetDateTime.parse("2025-12-16T13:05:30.000+0000"))
                .isInstanceOf(DateTimeParseException.class);

        assertThat(SalesforceTime.parse("2025-12-16T13:05:30.000+0000"))
                .isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
        assertThat(SalesforceTime.parse("2025-12-16T15:05:30.000+0200"))
                .isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
        assertThat(SalesforceTime.parse("2025-12-16T08:05:30-0500")).isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
        assertThat(SalesforceTime.parse("2025-12-16T13:05:30.000Z")).isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
        assertThat(SalesforceTime.parse("2025-12-16T13:05:30+00:00")).isEqualTo(Instant.parse("2025-12-16T13:05:30Z"));
    }

    @Test
    void refusesWhatIsNotATimestamp() {
        assertThatThrownBy(() -> SalesforceTime.parse("2025-12-16")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SalesforceTime.parse("2026-01-01T00:00:00Z OR Id != null"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SalesforceTime.parseOrNull("yesterday")).isNull();
    }

    @Test
    void writesSoqlLiteralsAndTheWireFormRoundTrips() {
        Instant at = Instant.parse("2026-05-01T08:01:00.250Z");
        assertThat(SalesforceTime.soqlLiteral(at)).isEqualTo("2026-05-01T08:01:00.250Z");
        assertThat(SalesforceTime.wire(at)).isEqualTo("2026-05-01T08:01:00.250+0000");
        assertThat(SalesforceTime.parse(SalesforceTime.wire(at))).isEqualTo(at);
    }
}
