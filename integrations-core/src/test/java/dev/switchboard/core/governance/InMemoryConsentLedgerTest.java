package dev.switchboard.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What only the in-memory ledger promises: it forgets requests long lapsed, so it stays bounded. */
class InMemoryConsentLedgerTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);

    private static ConsentRecord request(String id, Instant at) {
        return new ConsentRecord(
                id,
                new ConsentKey("acme", "alice", "s-1", "crm", "update", "digest-" + id),
                "Allow update?",
                ConsentRecord.Status.PENDING,
                at,
                at.plus(TTL),
                null);
    }

    @Test
    void aRequestIsForgottenOneLifetimeAfterItLapsedAndNotBefore() {
        ConsentLedger ledger = ConsentLedger.inMemory();
        ledger.request(request("r-1", T0));

        ledger.request(request("r-2", T0.plus(TTL).plus(TTL).minusSeconds(1)));
        assertThat(ledger.find("r-1"))
                .as("lapsed, but still known: a late decision on it is audited with its key")
                .isPresent();
        assertThat(ledger.decide("r-1", ConsentRecord.Status.APPROVED_ONCE, "late", T0.plus(TTL)))
                .isEmpty();

        ledger.request(request("r-3", T0.plus(TTL).plus(TTL)));
        assertThat(ledger.find("r-1")).isEmpty();
        assertThat(ledger.find("r-2")).isPresent();
        assertThat(ledger.find("r-3")).isPresent();
    }
}
