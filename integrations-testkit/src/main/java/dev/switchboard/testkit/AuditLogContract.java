package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.audit.AuditChain;
import dev.switchboard.core.audit.AuditCheckpoint;
import dev.switchboard.core.audit.AuditEntry;
import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.AuditMacKeys;
import dev.switchboard.core.audit.AuditReport;
import dev.switchboard.core.audit.AuditVerifier;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link AuditLog} keeps, and an {@link AuditChain} with an {@link AuditVerifier} on it. Subclass
 * it once per implementation: return a fresh, empty log from {@link #createLog()}, and for a durable one another
 * instance on the same storage from {@link #anotherInstance()} (by default the tests that need one are skipped).
 */
public abstract class AuditLogContract {
    protected static final Instant T0 = Instant.parse("2026-12-05T09:00:00.123456789Z");
    protected static final AuditMacKeys MAC_KEYS =
            AuditMacKeys.of("k1", "contract-mac-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    protected AuditLog log;
    protected final ManualClock clock = ManualClock.at(T0);

    /** A new, empty log. */
    protected abstract AuditLog createLog() throws Exception;

    /** Another instance on the storage of the log {@link #createLog()} returned last. */
    protected AuditLog anotherInstance() throws Exception {
        Assumptions.abort("this log lives in one instance's memory");
        throw new AssertionError("unreachable");
    }

    @BeforeEach
    void setUpLog() throws Exception {
        log = createLog();
    }

    @AfterEach
    void closeLog() {
        log.close();
    }

    protected static AuditEvent event(int i, String detail) {
        return AuditEvent.builder(T0.plusSeconds(i), AuditEvent.Kind.WRITE, AuditEvent.Outcome.SUCCEEDED)
                .id("event-" + i)
                .connection("helpdesk-acme")
                .operation("add_comment")
                .principal("acme", "alice")
                .session("session-7", "trace-" + i)
                .effect(Effect.WRITE)
                .inputDigest("d".repeat(64))
                .records(List.of("comments/c" + i, "tickets/t" + i), 2)
                .detail(detail)
                .build();
    }

    /** An entry by hand (MAC not computed): the log stores what it is given. */
    protected static AuditEntry entry(String writer, long seq, String prev) {
        return new AuditEntry(
                writer,
                seq,
                prev,
                "k1",
                dev.switchboard.core.json.JsonObject.builder()
                        .put("id", "e-" + writer + "-" + seq)
                        .put("detail", "Zoë 😀 \"quoted\" \\ line\nbreak")
                        .build(),
                "ab".repeat(32));
    }

    @Test
    void entriesReadBackExactlyInTheOrderAppended() {
        List<AuditEntry> appended = new ArrayList<>();
        String prev = AuditEntry.GENESIS;
        for (int seq = 1; seq <= 5; seq++) {
            AuditEntry e = entry("api-1", seq, prev);
            log.append(e);
            appended.add(e);
            prev = e.hash();
        }

        assertThat(log.entries("api-1")).containsExactlyElementsOf(appended);
        assertThat(log.entries("api-1").get(2).event().string("detail")).isEqualTo("Zoë 😀 \"quoted\" \\ line\nbreak");
        assertThat(log.last("api-1")).contains(appended.get(4));
        assertThat(log.writers()).containsExactly("api-1");
    }

    @Test
    void anEmptyChainHasNoLastEntry() {
        assertThat(log.last("api-1")).isEmpty();
        assertThat(log.entries("api-1")).isEmpty();
        assertThat(log.writers()).isEmpty();
    }

    @Test
    void theChainsOfWritersAreKeptApart() {
        log.append(entry("api-2", 1, AuditEntry.GENESIS));
        log.append(entry("api-1", 1, AuditEntry.GENESIS));
        log.append(entry("api-2", 2, "x"));

        assertThat(log.writers()).containsExactly("api-1", "api-2");
        assertThat(log.entries("api-2")).extracting(AuditEntry::seq).containsExactly(1L, 2L);
        assertThat(log.entries("api-1")).extracting(AuditEntry::seq).containsExactly(1L);
        assertThat(log.last("api-1"))
                .hasValueSatisfying(e -> assertThat(e.seq()).isEqualTo(1));
    }

    @Test
    void anEntryThatDoesNotFollowTheLastIsRefusedAndNotStored() {
        log.append(entry("api-1", 1, AuditEntry.GENESIS));

        assertThatThrownBy(() -> log.append(entry("api-1", 1, AuditEntry.GENESIS)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("api-1");
        assertThatThrownBy(() -> log.append(entry("api-1", 3, "x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.append(entry("api-2", 2, "x"))).isInstanceOf(IllegalStateException.class);
        assertThat(log.entries("api-1")).extracting(AuditEntry::seq).containsExactly(1L);
        assertThat(log.entries("api-2")).isEmpty();
    }

    @Test
    void entriesAreKeptForAnotherInstanceWhichRefusesToAppendWhatTheFirstDid() throws Exception {
        log.append(entry("api-1", 1, AuditEntry.GENESIS));
        log.close();
        AuditLog other = anotherInstance();
        try {
            assertThat(other.entries("api-1")).containsExactly(entry("api-1", 1, AuditEntry.GENESIS));
            assertThatThrownBy(() -> other.append(entry("api-1", 1, AuditEntry.GENESIS)))
                    .isInstanceOf(IllegalStateException.class);
            other.append(entry("api-1", 2, "x"));
            assertThat(other.last("api-1"))
                    .hasValueSatisfying(e -> assertThat(e.seq()).isEqualTo(2));
        } finally {
            other.close();
        }
    }

    @Test
    void aChainOnThisLogVerifiesAndResumesInAnotherInstance() throws Exception {
        AuditChain chain = AuditChain.builder("api-1", log, MAC_KEYS).build();
        for (int i = 1; i <= 3; i++) {
            chain.record(event(i, "about to send"));
        }
        log.close();
        AuditLog other = anotherInstance();
        try {
            AuditChain resumed = AuditChain.builder("api-1", other, MAC_KEYS).build();
            assertThat(resumed.headSeq()).isEqualTo(3);
            resumed.record(event(4, "done"));

            AuditReport report = AuditVerifier.builder(MAC_KEYS).build().verify(other);
            assertThat(report.ok()).as("%s", report.breaks()).isTrue();
            assertThat(report.verified()).containsEntry("api-1", 4L);
            assertThat(other.entries("api-1").get(3).prevHash())
                    .isEqualTo(other.entries("api-1").get(2).hash());
        } finally {
            other.close();
        }
    }

    @Test
    void entriesHoldIdsDigestsAndDecisionsAsRecorded() {
        AuditChain chain = AuditChain.builder("api-1", log, MAC_KEYS).build();
        chain.record(event(1, "about to send"));

        AuditEntry stored = log.entries("api-1").get(0);
        assertThat(stored.seq()).isEqualTo(1);
        assertThat(stored.prevHash()).isEqualTo("0".repeat(64));
        assertThat(stored.keyId()).isEqualTo("k1");
        assertThat(stored.event().string("id")).isEqualTo("event-1");
        assertThat(stored.event().string("kind")).isEqualTo("WRITE");
        assertThat(stored.event().string("outcome")).isEqualTo("SUCCEEDED");
        assertThat(stored.event().string("input")).isEqualTo("d".repeat(64));
        assertThat(stored.event().string("at")).isEqualTo("2026-12-05T09:00:01.123456789Z");
        assertThat(stored.event().number("recordCount")).isEqualByComparingTo("2");
        assertThat(stored.event().string("detail")).isEqualTo("about to send");
        assertThat(stored.mac()).hasSize(64);
    }

    @Test
    void aSealedDetailIsNotStoredInClearAndTheChainStillVerifiesAfterItsKeyIsDestroyed() {
        Keys keys = Keys.ephemeral();
        AuditChain chain =
                AuditChain.builder("api-1", log, MAC_KEYS).sealDetails(keys).build();
        String personal = "Ann Example (ann@example.com) said no";
        chain.record(event(1, personal));
        chain.record(event(2, "about to send"));

        List<AuditEntry> entries = log.entries("api-1");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.line()).doesNotContain("Ann Example", "ann@example.com", "about to send");
            assertThat(e.event().has("detail")).isFalse();
        });
        assertThat(AuditChain.detail(entries.get(0), keys)).isEqualTo(personal);

        keys.destroy(KeyScope.user("acme", "alice"));

        assertThat(AuditVerifier.builder(MAC_KEYS).build().verify(log).ok()).isTrue();
        assertThatThrownBy(() -> AuditChain.detail(log.entries("api-1").get(0), keys))
                .isInstanceOf(KeyDestroyedException.class);
    }

    @Test
    void checkpointsAreSignedByCountAndByTimeAndAFailedExportIsTriedAgain() throws Exception {
        KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        List<AuditCheckpoint> exported = new CopyOnWriteArrayList<>();
        boolean[] failNext = {false};
        AuditChain chain = AuditChain.builder("api-1", log, MAC_KEYS)
                .checkpoints(signing.getPrivate(), c -> {
                    if (failNext[0]) {
                        failNext[0] = false;
                        throw new IllegalStateException("export target unreachable");
                    }
                    exported.add(c);
                })
                .checkpointEvery(3)
                .checkpointInterval(Duration.ofMinutes(5))
                .clock(clock)
                .build();

        chain.record(event(1, ""));
        chain.record(event(2, ""));
        chain.record(event(3, "")); // by count
        clock.advance(Duration.ofMinutes(4));
        chain.record(event(4, ""));
        clock.advance(Duration.ofMinutes(1));
        chain.record(event(5, "")); // by time: five minutes after the last
        failNext[0] = true;
        chain.record(event(6, ""));
        chain.record(event(7, ""));
        chain.record(event(8, "")); // the export of 8 fails; 9 tries again
        chain.record(event(9, ""));

        assertThat(exported).extracting(AuditCheckpoint::seq).containsExactly(3L, 5L, 9L);
        assertThat(exported)
                .allSatisfy(c -> assertThat(c.verifies(signing.getPublic())).isTrue());
        assertThat(exported.get(1).at()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(exported.get(2).headHash())
                .isEqualTo(log.entries("api-1").get(8).hash());
        AuditReport report = AuditVerifier.builder(MAC_KEYS)
                .trust("api-1", signing.getPublic())
                .checkpoints(exported)
                .build()
                .verify(log);
        assertThat(report.ok()).isTrue();
    }

    @Test
    void aChainWhoseLastEntryWasChangedRefusesToResume() {
        log.append(entry("api-1", 1, AuditEntry.GENESIS)); // its MAC is not the MAC key's

        assertThatThrownBy(() -> AuditChain.builder("api-1", log, MAC_KEYS).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not verify");
    }
}
