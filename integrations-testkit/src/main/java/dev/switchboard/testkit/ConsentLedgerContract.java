package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.governance.ConsentKey;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.ConsentRecord;
import dev.switchboard.core.governance.ConsentRecord.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ConsentLedger} keeps. Subclass it once per implementation: return a fresh, empty ledger
 * from {@link #createLedger()}, and for a durable or shared one another instance on the same storage from
 * {@link #anotherInstance()} (by default the tests that need one are skipped; races then run on one instance).
 * Time is what the tests pass, as the Switchboard passes its clock's.
 */
public abstract class ConsentLedgerContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    protected static final Duration TTL = Duration.ofMinutes(30);
    protected static final ConsentKey KEY =
            new ConsentKey("tenant-7", "u-42", "session-1", "slack-acme", "post_message", "sha256:aaa");

    protected ConsentLedger ledger;

    /** A new, empty ledger. */
    protected abstract ConsentLedger createLedger() throws Exception;

    /** Another instance on the storage of the ledger {@link #createLedger()} returned last. */
    protected ConsentLedger anotherInstance() throws Exception {
        Assumptions.abort("this ledger lives in one instance's memory");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    void setUpLedger() throws Exception {
        ledger = createLedger();
    }

    protected static ConsentRecord pending(String id, ConsentKey key, Instant at) {
        return new ConsentRecord(id, key, "Post \"Zoë 😀\" to #général?", Status.PENDING, at, at.plus(TTL), null);
    }

    private static ConsentKey digest(String digest) {
        return new ConsentKey(KEY.tenantId(), KEY.userId(), KEY.sessionId(), KEY.connection(), KEY.action(), digest);
    }

    @Test
    void aRequestIsKeptExactlyAndItsIdIsUnique() {
        ConsentRecord r = pending("req-1", KEY, T0);
        ledger.request(r);
        assertThat(ledger.find("req-1")).contains(r);
        assertThat(ledger.find("req-2")).isEmpty();
        assertThatThrownBy(() -> ledger.request(pending("req-1", digest("sha256:bbb"), T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("req-1");
        ConsentRecord decided = new ConsentRecord("req-3", KEY, "p", Status.APPROVED_ONCE, T0, T0.plus(TTL), null);
        assertThatThrownBy(() -> ledger.request(decided)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ledger.find("req-1")).contains(r);
        assertThat(ledger.find("req-3")).isEmpty();
    }

    @Test
    void pendingListsThisPrincipalsUnexpiredRequestsOldestFirst() {
        ledger.request(pending("later", KEY, T0.plusSeconds(10)));
        ledger.request(pending("first", digest("sha256:bbb"), T0));
        ledger.request(pending("old", digest("sha256:ccc"), T0.minus(TTL)));
        ledger.request(pending("other-user", new ConsentKey("tenant-7", "u-43", "s", "c", "a", "d"), T0));
        ledger.request(pending("other-tenant", new ConsentKey("tenant-8", "u-42", "s", "c", "a", "d"), T0));
        ledger.request(pending("decided", digest("sha256:ddd"), T0));
        ledger.decide("decided", Status.DENIED, "no", T0.plusSeconds(1));

        assertThat(ledger.pending("tenant-7", "u-42", T0.plusSeconds(20)))
                .extracting(ConsentRecord::requestId)
                .containsExactly("first", "later");
        assertThat(ledger.pending("tenant-7", "u-42", T0.plus(TTL))) // "first" lapses exactly at its expiry
                .extracting(ConsentRecord::requestId)
                .containsExactly("later");
    }

    @Test
    void aPendingRequestIsDecidedOnceAndOnlyBeforeItExpires() {
        ledger.request(pending("req-1", KEY, T0));
        Optional<ConsentRecord> approved = ledger.decide("req-1", Status.APPROVED_ONCE, "approved once", T0);
        assertThat(approved)
                .contains(new ConsentRecord(
                        "req-1",
                        KEY,
                        pending("r", KEY, T0).prompt(),
                        Status.APPROVED_ONCE,
                        T0,
                        T0.plus(TTL),
                        "approved once"));
        assertThat(ledger.find("req-1")).isEqualTo(approved);
        assertThat(ledger.decide("req-1", Status.DENIED, "changed my mind", T0)).isEmpty();
        assertThat(ledger.find("req-1").orElseThrow().status()).isEqualTo(Status.APPROVED_ONCE);

        ledger.request(pending("req-2", KEY, T0));
        assertThat(ledger.decide("req-2", Status.APPROVED_ONCE, "late", T0.plus(TTL)))
                .isEmpty(); // expired
        assertThat(ledger.find("req-2").orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(ledger.decide("unknown", Status.DENIED, "no", T0)).isEmpty();
        assertThatThrownBy(() -> ledger.decide("req-2", Status.CONSUMED, "x", T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.decide("req-2", Status.PENDING, "x", T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anApprovalForOneInputIsConsumedOnceByExactlyThatCall() {
        ledger.request(pending("req-1", KEY, T0));
        ledger.decide("req-1", Status.APPROVED_ONCE, "approved once", T0);

        ConsentKey otherSession =
                new ConsentKey("tenant-7", "u-42", "session-2", "slack-acme", "post_message", KEY.inputDigest());
        assertThat(ledger.consume(otherSession, T0)).isEmpty();
        assertThat(ledger.consume(digest("sha256:bbb"), T0)).isEmpty();
        assertThat(ledger.consume(KEY, T0)).hasValueSatisfying(r -> {
            assertThat(r.requestId()).isEqualTo("req-1");
            assertThat(r.status()).isEqualTo(Status.APPROVED_ONCE);
        });
        assertThat(ledger.consume(KEY, T0)).isEmpty();
        assertThat(ledger.find("req-1").orElseThrow().status()).isEqualTo(Status.CONSUMED);
    }

    @Test
    void anUnusedApprovalLapsesAtItsExpiry() {
        ledger.request(pending("req-1", KEY, T0));
        ledger.decide("req-1", Status.APPROVED_ONCE, "approved once", T0);
        assertThat(ledger.consume(KEY, T0.plus(TTL))).isEmpty();
        assertThat(ledger.find("req-1").orElseThrow().status()).isEqualTo(Status.APPROVED_ONCE);
    }

    @Test
    void aDenialIsLearnedOnceByTheCallItWasFor() {
        ledger.request(pending("req-1", KEY, T0));
        ledger.decide("req-1", Status.DENIED, "not that channel", T0);
        assertThat(ledger.consume(KEY, T0.plusSeconds(1))).hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(Status.DENIED);
            assertThat(r.reason()).isEqualTo("not that channel");
        });
        assertThat(ledger.consume(KEY, T0.plusSeconds(2))).isEmpty();
    }

    @Test
    void aDenialOfACallWinsOverAnApprovalOfTheSameCallAndUsesItUp() {
        // Two requests of one call (two calls asked at once), decided differently: "no" must not be overruled.
        ledger.request(pending("req-approved", KEY, T0));
        ledger.request(pending("req-denied", KEY, T0));
        ledger.decide("req-approved", Status.APPROVED_ONCE, "yes", T0);
        ledger.decide("req-denied", Status.DENIED, "no", T0);

        assertThat(ledger.consume(KEY, T0.plusSeconds(1))).hasValueSatisfying(r -> {
            assertThat(r.requestId()).isEqualTo("req-denied");
            assertThat(r.status()).isEqualTo(Status.DENIED);
        });
        assertThat(ledger.consume(KEY, T0.plusSeconds(2))).isEmpty();
        assertThat(ledger.find("req-approved").orElseThrow().status()).isEqualTo(Status.CONSUMED);
    }

    @Test
    void aSessionWideApprovalHoldsForAnyInputOfItsSessionAndIsNotConsumed() {
        ledger.request(pending("req-1", KEY, T0));
        Optional<ConsentRecord> decided =
                ledger.decide("req-1", Status.APPROVED_FOR_SESSION, "approved for the session", T0);
        assertThat(decided).hasValueSatisfying(r -> assertThat(r.key()).isEqualTo(KEY.forSession()));
        assertThat(ledger.find("req-1")).isEqualTo(decided);

        for (String d : List.of("sha256:aaa", "sha256:bbb", "sha256:bbb")) {
            assertThat(ledger.consume(digest(d), T0.plusSeconds(1)))
                    .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(Status.APPROVED_FOR_SESSION));
        }
        ConsentKey otherAction =
                new ConsentKey("tenant-7", "u-42", "session-1", "slack-acme", "delete_message", "sha256:aaa");
        ConsentKey otherSession =
                new ConsentKey("tenant-7", "u-42", "session-2", "slack-acme", "post_message", "sha256:aaa");
        assertThat(ledger.consume(otherAction, T0)).isEmpty();
        assertThat(ledger.consume(otherSession, T0)).isEmpty();
        assertThat(ledger.consume(KEY, T0.plus(TTL))).isEmpty(); // until it expires
        assertThat(ledger.find("req-1").orElseThrow().status()).isEqualTo(Status.APPROVED_FOR_SESSION);
    }

    @Test
    void anApprovalForThisInputIsUsedBeforeASessionWideOne() {
        ledger.request(pending("session", digest("sha256:zzz"), T0));
        ledger.decide("session", Status.APPROVED_FOR_SESSION, "session", T0);
        ledger.request(pending("once", KEY, T0));
        ledger.decide("once", Status.DENIED, "not this one", T0);
        assertThat(ledger.consume(KEY, T0))
                .hasValueSatisfying(r -> assertThat(r.requestId()).isEqualTo("once"));
        assertThat(ledger.consume(KEY, T0))
                .hasValueSatisfying(r -> assertThat(r.requestId()).isEqualTo("session"));
    }

    private ConsentLedger second() throws Exception {
        try {
            return anotherInstance();
        } catch (org.opentest4j.TestAbortedException e) {
            return ledger; // one instance: its threads still race
        }
    }

    @Test
    void ofCallsRacingForOneApprovalExactlyOneGetsIt() throws Exception {
        ConsentLedger other = second();
        int requests = 40;
        for (int i = 0; i < requests; i++) {
            ConsentKey key = digest("sha256:" + i);
            ledger.request(pending("req-" + i, key, T0));
            ledger.decide("req-" + i, i % 2 == 0 ? Status.APPROVED_ONCE : Status.DENIED, "decided", T0);
        }
        List<Integer> got = Concurrently.run(thread -> {
            ConsentLedger instance = thread % 2 == 0 ? ledger : other;
            int won = 0;
            for (int i = 0; i < requests; i++) {
                won += instance.consume(digest("sha256:" + i), T0.plusSeconds(1))
                                .isPresent()
                        ? 1
                        : 0;
            }
            return won;
        });
        assertThat(got.stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
        for (int i = 0; i < requests; i++) {
            assertThat(ledger.find("req-" + i).orElseThrow().status()).isEqualTo(Status.CONSUMED);
        }
    }

    @Test
    void ofDecisionsRacingOnOneRequestExactlyOneIsRecorded() throws Exception {
        ConsentLedger other = second();
        ledger.request(pending("req-1", KEY, T0));
        List<Optional<ConsentRecord>> decided = Concurrently.run(thread -> (thread % 2 == 0 ? ledger : other)
                .decide("req-1", thread % 3 == 0 ? Status.DENIED : Status.APPROVED_ONCE, "by " + thread, T0));
        List<ConsentRecord> recorded =
                decided.stream().flatMap(Optional::stream).toList();
        assertThat(recorded).hasSize(1);
        assertThat(ledger.find("req-1")).contains(recorded.get(0));
    }

    @Test
    void decisionsSurviveARestartAndAreSharedBetweenInstances() throws Exception {
        ledger.request(pending("req-1", KEY, T0));
        ConsentLedger other = anotherInstance();
        assertThat(other.find("req-1")).contains(pending("req-1", KEY, T0));
        assertThat(other.decide("req-1", Status.APPROVED_ONCE, "approved once", T0))
                .isPresent();
        assertThat(ledger.decide("req-1", Status.DENIED, "no", T0)).isEmpty();
        assertThat(ledger.consume(KEY, T0)).isPresent();
        assertThat(other.consume(KEY, T0)).isEmpty();
    }
}
