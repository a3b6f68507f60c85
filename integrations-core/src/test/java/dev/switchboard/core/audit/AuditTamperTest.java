package dev.switchboard.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of tampering made to a real JSON-lines log file, and the entry the verifier names. The chain is ten
 * entries of writer {@code api-1}, one per line, with signed checkpoints after entries 4 and 8; line {@code i} of the
 * file holds entry {@code i + 1}.
 */
class AuditTamperTest {
    private static final String WRITER = "api-1";
    private static final byte[] MAC_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-12-05T09:00:00Z"));
    private final AuditMacKeys macKeys = AuditMacKeys.of("k1", MAC_KEY);
    private KeyPair signing;
    private Path logDir;
    private Path checkpointDir;
    private Path file;

    @BeforeEach
    void writeTenEntries() throws Exception {
        signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        logDir = dir.resolve("log");
        checkpointDir = dir.resolve("checkpoints");
        try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build()) {
            AuditChain chain = AuditChain.builder(WRITER, log, macKeys)
                    .checkpoints(signing.getPrivate(), CheckpointExporter.directory(checkpointDir))
                    .checkpointEvery(4)
                    .checkpointInterval(null)
                    .clock(clock)
                    .build();
            for (int i = 1; i <= 10; i++) {
                chain.record(event(i));
                clock.advance(Duration.ofSeconds(1));
            }
        }
        file = logDir.resolve(WRITER + ".000001.jsonl");
        assertThat(lines()).hasSize(10);
    }

    static AuditEvent event(int i) {
        return AuditEvent.builder(
                        Instant.parse("2026-12-05T09:00:00Z").plusSeconds(i),
                        AuditEvent.Kind.WRITE,
                        AuditEvent.Outcome.ALLOWED)
                .id("event-" + i)
                .connection("helpdesk-acme")
                .operation("add_comment")
                .principal("acme", "alice")
                .session("session-7", "trace-" + i)
                .effect(Effect.WRITE)
                .inputDigest("d".repeat(64))
                .records(List.of("comments/c" + i), 1)
                .detail("about to send")
                .build();
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private AuditReport verify() {
        try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build()) {
            return AuditVerifier.builder(macKeys)
                    .trust(signing.getPublic())
                    .checkpoints(CheckpointExporter.readDirectory(checkpointDir))
                    .build()
                    .verify(log);
        }
    }

    @Test
    void anUntouchedLogVerifiesWithBothCheckpoints() {
        assertThat(CheckpointExporter.readDirectory(checkpointDir))
                .extracting(AuditCheckpoint::seq)
                .containsExactly(4L, 8L);
        AuditReport report = verify();
        assertThat(report.ok()).isTrue();
        assertThat(report.verified()).containsEntry(WRITER, 10L);
    }

    @Test
    void aModifiedEntryIsNamed() throws Exception {
        List<String> lines = lines();
        assertThat(lines.get(4)).contains("\"outcome\":\"ALLOWED\"");
        lines.set(4, lines.get(4).replace("\"outcome\":\"ALLOWED\"", "\"outcome\":\"DENIED\""));
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 5, AuditReport.Kind.MODIFIED, 4));
    }

    @Test
    void aModifiedLinkIsNamedEvenWhenTheContentIsUntouched() throws Exception {
        // Entry 7 pointed at entry 5 instead of 6: the MAC covers prev, so this is a modification of entry 7.
        List<String> lines = lines();
        String hashOf5 = AuditEntry.parse(WRITER, lines.get(4)).hash();
        String hashOf6 = AuditEntry.parse(WRITER, lines.get(5)).hash();
        lines.set(6, lines.get(6).replace(hashOf6, hashOf5));
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 7, AuditReport.Kind.MODIFIED, 6));
    }

    @Test
    void aDamagedLineIsAModification() throws Exception {
        List<String> lines = lines();
        lines.set(2, lines.get(2).substring(0, 40));
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 3, AuditReport.Kind.MODIFIED, 2));
    }

    @Test
    void aDeletedEntryIsNamed() throws Exception {
        List<String> lines = lines();
        lines.remove(4);
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 5, AuditReport.Kind.DELETED, 4));
    }

    @Test
    void severalDeletedEntriesAreNamedByTheFirst() throws Exception {
        List<String> lines = lines();
        lines.subList(2, 5).clear(); // entries 3, 4, 5
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> {
            assertBreak(b, 3, AuditReport.Kind.DELETED, 2);
            assertThat(b.detail()).contains("3 to 5");
        });
    }

    @Test
    void aForgedEntryInsertedBetweenTwoIsNamed() throws Exception {
        // A forger without the MAC key copies entry 5, changes its event and places it between entries 4 and 5.
        List<String> lines = lines();
        String forged = lines.get(4).replace("event-5", "event-forged");
        lines.add(4, forged);
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 5, AuditReport.Kind.INSERTED, 4));
    }

    @Test
    void aReplayedCopyOfAnEntryIsAnInsertion() throws Exception {
        // An authentic entry (2) copied to after entry 6: its MAC verifies, its place does not.
        List<String> lines = lines();
        lines.add(6, lines.get(1));
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 2, AuditReport.Kind.INSERTED, 6));
    }

    @Test
    void swappedEntriesAreReordered() throws Exception {
        List<String> lines = lines();
        String fifth = lines.get(4);
        lines.set(4, lines.get(5));
        lines.set(5, fifth);
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> {
            assertBreak(b, 5, AuditReport.Kind.REORDERED, 4);
            assertThat(b.detail()).contains("position 5");
        });
    }

    @Test
    void anEntryMovedFurtherOnIsReordered() throws Exception {
        List<String> lines = lines();
        String third = lines.remove(2);
        lines.add(7, third); // entry 3 now after entry 8
        write(lines);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 3, AuditReport.Kind.REORDERED, 2));
    }

    @Test
    void aLogTruncatedAfterACheckpointIsNamedAtItsFirstMissingEntry() throws Exception {
        write(lines().subList(0, 6)); // entries 1 to 6; the checkpoint signed entry 8

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 7, AuditReport.Kind.TRUNCATED, 6));
    }

    @Test
    void aWholeChainDeletedIsTruncatedAtItsFirstEntry() throws Exception {
        Files.delete(file);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 1, AuditReport.Kind.TRUNCATED, 0));
    }

    @Test
    void entriesCutAfterTheLastCheckpointCannotBeToldFromAShorterChain() throws Exception {
        // The documented limit: entries 9 and 10 came after the last checkpoint (8).
        write(lines().subList(0, 8));

        assertThat(verify().ok()).isTrue();
    }

    @Test
    void aChainRewrittenWithTheMacKeyIsCaughtByTheCheckpoint() throws Exception {
        // Whoever holds the MAC key can re-chain a changed entry 2 and everything after it; the signed
        // checkpoint at entry 4 still names the old head.
        List<String> lines = lines();
        List<String> rewritten = new ArrayList<>(lines.subList(0, 1));
        String prev = AuditEntry.parse(WRITER, lines.get(0)).hash();
        for (int i = 1; i < lines.size(); i++) {
            AuditEntry e = AuditEntry.parse(WRITER, lines.get(i));
            var event = i == 1 ? e.event().newBuilder().put("outcome", "DENIED").build() : e.event();
            AuditEntry unsigned = new AuditEntry(WRITER, e.seq(), prev, "k1", event, "");
            String mac = java.util.HexFormat.of()
                    .formatHex(macKeys.mac("k1", unsigned.content().getBytes(StandardCharsets.UTF_8)));
            AuditEntry re = new AuditEntry(WRITER, e.seq(), prev, "k1", event, mac);
            rewritten.add(re.line());
            prev = re.hash();
        }
        write(rewritten);

        assertThat(verify().breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 4, AuditReport.Kind.MODIFIED, 3));
    }

    @Test
    void aCheckpointChangedWhereItWasExportedIsReportedAsForged() throws Exception {
        Path cp = checkpointDir.resolve(WRITER + "-00000000000000000008.checkpoint.json");
        String text = Files.readString(cp);
        Files.writeString(cp, text.replace("\"seq\":8", "\"seq\":9"));

        AuditReport report = verify();

        assertThat(report.ok()).isFalse();
        assertThat(report.breakOf(WRITER)).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(AuditReport.Kind.CHECKPOINT_FORGED);
            assertThat(b.seq()).isEqualTo(9);
            assertThat(b.detail()).contains("does not verify");
        });
    }

    @Test
    void onlyTheTamperedChainOfSeveralWritersIsReported() throws Exception {
        try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build()) {
            AuditChain other = AuditChain.builder("api-2", log, macKeys).build();
            for (int i = 1; i <= 3; i++) {
                other.record(event(100 + i));
            }
        }
        List<String> lines = lines();
        lines.remove(1);
        write(lines);

        AuditReport report = verify();
        assertThat(report.breaks()).singleElement().satisfies(b -> assertBreak(b, 2, AuditReport.Kind.DELETED, 1));
        assertThat(report.verified()).containsEntry("api-2", 3L).containsEntry(WRITER, 1L);
    }

    @Test
    void anEntryMovedToAnotherWritersChainIsFoundInBoth() throws Exception {
        try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build()) {
            AuditChain other = AuditChain.builder("api-2", log, macKeys).build();
            other.record(event(101));
        }
        List<String> lines = lines();
        String moved = lines.remove(5); // entry 6
        write(lines);
        Path otherFile = logDir.resolve("api-2.000001.jsonl");
        Files.writeString(otherFile, moved + "\n", java.nio.file.StandardOpenOption.APPEND);

        AuditReport report = verify();
        assertThat(report.breakOf(WRITER)).hasValueSatisfying(b -> assertBreak(b, 6, AuditReport.Kind.DELETED, 5));
        // In api-2's file it names writer api-1: not authentic there, and the last line, claiming seq 6.
        assertThat(report.breakOf("api-2")).hasValueSatisfying(b -> assertBreak(b, 6, AuditReport.Kind.INSERTED, 1));
    }

    private static void assertBreak(AuditReport.Break b, long seq, AuditReport.Kind kind, long position) {
        assertThat(Arrays.asList(b.seq(), b.kind(), b.position()))
                .as(b.writerId() + ": " + b.detail())
                .containsExactly(seq, kind, position);
    }
}
