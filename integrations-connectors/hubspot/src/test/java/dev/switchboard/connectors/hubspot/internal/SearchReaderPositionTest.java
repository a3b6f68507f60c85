package dev.switchboard.connectors.hubspot.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.Position;
import org.junit.jupiter.api.Test;

/**
 * Which records a resumed read returns as new (after the checkpoint's position) and which as overlap: the
 * tie-break within one modstamp is the id, compared as a number (HubSpot's ids are numeric).
 */
class SearchReaderPositionTest {
    private static final String T = "2026-05-25T10:00:00.123Z";

    @Test
    void theRecordAtThePositionItselfWasDeliveredAndIsNotNew() {
        assertThat(SearchReader.after(Position.of(T, "9000000001"), Position.of(T, "9000000001")))
                .isFalse();
    }

    @Test
    void withinOneModstampAGreaterIdIsNewAndASmallerOneIsNot() {
        assertThat(SearchReader.after(Position.of(T, "9000000002"), Position.of(T, "9000000001")))
                .isTrue();
        assertThat(SearchReader.after(Position.of(T, "9000000000"), Position.of(T, "9000000001")))
                .isFalse();
        // Numbers, not text: "10" is after "9".
        assertThat(SearchReader.after(Position.of(T, "10"), Position.of(T, "9")))
                .isTrue();
    }

    @Test
    void aLaterModstampIsNewWhateverTheIdAndAnEarlierOneIsNot() {
        assertThat(SearchReader.after(Position.of("2026-05-25T10:00:00.124Z", "1"), Position.of(T, "9000000001")))
                .isTrue();
        assertThat(SearchReader.after(Position.of("2026-05-25T10:00:00.122Z", "9999999999"), Position.of(T, "1")))
                .isFalse();
    }
}
