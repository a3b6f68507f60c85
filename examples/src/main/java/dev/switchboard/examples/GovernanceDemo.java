package dev.switchboard.examples;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.audit.AuditChain;
import dev.switchboard.core.audit.AuditCheckpoint;
import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.AuditMacKeys;
import dev.switchboard.core.audit.AuditReport;
import dev.switchboard.core.audit.AuditVerifier;
import dev.switchboard.core.audit.CheckpointExporter;
import dev.switchboard.core.audit.JsonLinesAuditLog;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.governance.ConsentDecision;
import dev.switchboard.core.governance.PermissionPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The demo's governance step: the same question asked for two users through a {@link PermissionPolicy} read from a
 * policy file, every decision appended to a hash-chained, MACed audit log on disk with signed checkpoints, the log
 * verified, and one edited line in a copy of it caught by the verifier.
 */
final class GovernanceDemo {
    static final String WRITER = "demo-1";
    static final Principal ANA = Principal.user("u-42", HelpdeskFake.TENANT).withRoles("support");
    static final Principal BEN = Principal.user("u-77", HelpdeskFake.TENANT).withRoles("contractor");

    private GovernanceDemo() {}

    /**
     * What the step saw.
     *
     * @param anaSees the tickets Ana (support) was given, by id
     * @param benSees the tickets Ben (contractor) was given
     * @param benFields every field name of any ticket Ben was given
     * @param benDenied the reason Ben's comment was refused
     * @param entries the audit log's entries
     * @param checkpoints the checkpoints exported while it was written
     * @param verified the verifier's report on the log as written
     * @param editedSeq the entry whose line was edited in the copy
     * @param tampered the verifier's report on the edited copy
     */
    record GovernanceRun(
            List<String> anaSees,
            List<String> benSees,
            Set<String> benFields,
            String benDenied,
            long entries,
            List<AuditCheckpoint> checkpoints,
            AuditReport verified,
            long editedSeq,
            AuditReport tampered) {}

    static GovernanceRun run(
            PrintStream out, ConnectionConfig config, CredentialSource credentials, Clock clock, Sleeper sleeper) {
        Path dir;
        try {
            dir = Files.createTempDirectory("switchboard-governance-demo");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path policyFile = dir.resolve("policy.yaml");
            try (InputStream policy = Objects.requireNonNull(
                    GovernanceDemo.class.getResourceAsStream("/governance/demo-policy.yaml"), "demo-policy.yaml")) {
                Files.copy(policy, policyFile);
            }
            PermissionPolicy policy = PermissionPolicy.fromFile(policyFile);
            out.printf("  policy     %s, read from %s%n", policy, policyFile.getFileName());

            // Keys held outside the log: the MAC key and the checkpoint signing key. Here in memory; in production a
            // KMS or HSM (docs/security.md, key custody).
            byte[] macKey = new byte[32];
            new SecureRandom().nextBytes(macKey);
            AuditMacKeys macKeys = AuditMacKeys.of("demo-k1", macKey);
            KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Path logDir = dir.resolve("audit");
            Path exported = dir.resolve("checkpoints"); // in production: storage the writer cannot change

            List<String> anaSees;
            List<String> benSees;
            Set<String> benFields = new LinkedHashSet<>();
            String benDenied;
            try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build();
                    AuditChain chain = AuditChain.builder(WRITER, log, macKeys)
                            .checkpoints(signing.getPrivate(), CheckpointExporter.directory(exported))
                            .checkpointEvery(4)
                            .clock(clock)
                            .build();
                    Switchboard switchboard = Switchboard.builder()
                            .connection(config)
                            .credentialSource(credentials)
                            .accessPolicy(policy)
                            .consentGate((ctx, request) -> ConsentDecision.askUser(request.prompt()))
                            .auditSink(chain)
                            .httpSettings(PipelineDemo.QUICK_RETRIES)
                            .clock(clock)
                            .sleeper(sleeper)
                            .build()) {
                anaSees = ask(out, switchboard, ANA, "Ana", "support", new LinkedHashSet<>());
                benSees = ask(out, switchboard, BEN, "Ben", "contractor", benFields);
                try {
                    switchboard
                            .connection(PipelineDemo.CONNECTION)
                            .execute(
                                    new AgentContext(BEN, "ben-session", PipelineDemo.TRACE_ID),
                                    "add_comment",
                                    Map.of("ticket_id", "T-1003", "body", "Looking into it"));
                    throw new IllegalStateException("the policy grants contractors no action");
                } catch (PermissionDeniedException e) {
                    benDenied = String.valueOf(e.getMessage());
                    out.printf("  Ben        comments on T-1003: refused, %s (nothing was sent)%n", benDenied);
                }
                chain.checkpoint(); // sign the head now, so the whole log is covered
            }

            List<AuditCheckpoint> checkpoints = CheckpointExporter.readDirectory(exported);
            AuditVerifier verifier = AuditVerifier.builder(macKeys)
                    .trust(WRITER, signing.getPublic())
                    .checkpoints(checkpoints)
                    .build();
            Path file = onlyFile(logDir);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            out.printf(
                    "  audit      %d entries in %s, each chained to the one before and MACed; checkpoints signed"
                            + " after entries %s%n",
                    lines.size(),
                    dir.relativize(file),
                    checkpoints.stream().map(AuditCheckpoint::seq).toList());
            AuditReport verified = verify(verifier, logDir);
            out.printf("  verify     %s%n", describe(verified));

            // Someone with write access to the log hides Ben's refusal: one line edited, in a copy.
            Path copyDir = dir.resolve("audit-copy");
            Files.createDirectories(copyDir);
            int edited = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("\"outcome\":\"DENIED\"")) {
                    edited = i;
                    break;
                }
            }
            if (edited < 0) {
                throw new IllegalStateException("the log holds no denial to edit");
            }
            List<String> copy = new ArrayList<>(lines);
            copy.set(edited, copy.get(edited).replace("\"outcome\":\"DENIED\"", "\"outcome\":\"ALLOWED\""));
            Files.writeString(
                    copyDir.resolve(file.getFileName()), String.join("\n", copy) + "\n", StandardCharsets.UTF_8);
            out.printf(
                    "  tamper     a copy of the log with line %d's outcome changed from DENIED to ALLOWED%n",
                    edited + 1);
            AuditReport tampered = verify(verifier, copyDir);
            out.printf("  verify     the copy: %s%n", describe(tampered));
            return new GovernanceRun(
                    anaSees,
                    benSees,
                    Set.copyOf(benFields),
                    benDenied,
                    lines.size(),
                    checkpoints,
                    verified,
                    edited + 1,
                    tampered);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        } finally {
            deleteQuietly(dir); // the demo's files are its own; nothing is left behind in the temp directory
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a temp directory left behind is harmless
        }
    }

    /** Reads every ticket for {@code user} and prints what they were given. */
    private static List<String> ask(
            PrintStream out, Switchboard switchboard, Principal user, String name, String role, Set<String> fields) {
        List<String> ids = new ArrayList<>();
        AgentContext context = new AgentContext(user, name.toLowerCase(java.util.Locale.ROOT) + "-session", "");
        try (RecordStream tickets = switchboard
                .connection(PipelineDemo.CONNECTION)
                .read(context, ReadRequest.of("tickets").pageSize(2))) { // the fake vendor serves 2 a page
            for (Record ticket : tickets) {
                ids.add(ticket.id());
                fields.addAll(ticket.data().names());
            }
        }
        out.printf("  %-10s (%s, %s) asks for the tickets: %s%n", name, user.userId(), role, ids);
        if (!fields.isEmpty()) {
            out.printf("  %-10s fields %s%n", "", fields);
        }
        return ids;
    }

    private static AuditReport verify(AuditVerifier verifier, Path logDir) {
        try (JsonLinesAuditLog log = AuditLog.jsonLines(logDir).build()) {
            return verifier.verify(log);
        }
    }

    private static String describe(AuditReport report) {
        if (report.ok()) {
            return "OK: " + report.verified().get(WRITER) + " entries of writer " + WRITER
                    + " chained, authenticated and covered by signed checkpoints";
        }
        AuditReport.Break b = report.breaks().get(0);
        return "BROKEN at entry " + b.seq() + " (line " + (b.position() + 1) + "): " + b.kind() + ", " + b.detail();
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".jsonl")).toList();
            if (all.size() != 1) {
                throw new IllegalStateException("expected one log file, found " + all);
            }
            return all.get(0);
        }
    }
}
