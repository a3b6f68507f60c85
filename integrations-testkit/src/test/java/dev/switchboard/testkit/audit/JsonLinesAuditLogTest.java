package dev.switchboard.testkit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.audit.AuditChain;
import dev.switchboard.core.audit.AuditEntry;
import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.AuditReport;
import dev.switchboard.core.audit.AuditVerifier;
import dev.switchboard.core.audit.JsonLinesAuditLog;
import dev.switchboard.testkit.AuditLogContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest extends AuditLogContract {
    @TempDir
    Path dir;

    @Override
    protected AuditLog createLog() {
        return AuditLog.jsonLines(dir).build();
    }

    @Override
    protected AuditLog anotherInstance() {
        return AuditLog.jsonLines(dir).build();
    }

    @Test
    void rotationStartsNewFilesWithoutBreakingTheChain() throws Exception {
        Path rotating = dir.resolve("rotating");
        try (JsonLinesAuditLog small =
                AuditLog.jsonLines(rotating).maxFileBytes(1024).build()) {
            AuditChain chain = AuditChain.builder("api-1", small, MAC_KEYS).build();
            for (int i = 1; i <= 6; i++) {
                chain.record(event(i, "about to send"));
            }
            List<Path> files = small.files("api-1");
            assertThat(files).hasSizeGreaterThanOrEqualTo(3);
            assertThat(files.get(0).getFileName()).hasToString("api-1.000001.jsonl");
            assertThat(files).allSatisfy(f -> assertThat(Files.size(f)).isLessThanOrEqualTo(1024));
            // The second file's first entry holds the hash of the first file's last.
            List<String> first = Files.readAllLines(files.get(0));
            List<String> second = Files.readAllLines(files.get(1));
            assertThat(AuditEntry.parse("api-1", second.get(0)).prevHash())
                    .isEqualTo(AuditEntry.parse("api-1", first.get(first.size() - 1))
                            .hash());
            assertThat(AuditVerifier.builder(MAC_KEYS).build().verify(small).ok())
                    .isTrue();

            // A rotated file archived away (deleted) is found as deleted entries.
            long firstOfSecond = AuditEntry.parse("api-1", second.get(0)).seq();
            Files.delete(files.get(1));
            AuditReport report = AuditVerifier.builder(MAC_KEYS).build().verify(small);
            assertThat(report.breakOf("api-1")).hasValueSatisfying(b -> {
                assertThat(b.kind()).isEqualTo(AuditReport.Kind.DELETED);
                assertThat(b.seq()).isEqualTo(firstOfSecond);
            });
        }
    }
}
