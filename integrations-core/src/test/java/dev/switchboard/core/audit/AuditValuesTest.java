package dev.switchboard.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit value types: fail-fast validation, and no key material or event detail in toString(). */
class AuditValuesTest {
    private static final byte[] KEY = "s3cret-mac-key-0123456789abcdef-!".getBytes(StandardCharsets.US_ASCII);

    @Test
    void toStringShowsIdsOnly() {
        AuditMacKeys keys = AuditMacKeys.of("k1", KEY);
        assertThat(keys.toString()).contains("k1").doesNotContain("s3cret");

        AuditEntry entry = AuditEntry.parse("api-1", AuditTamperTestLine.LINE);
        assertThat(entry.seq()).isEqualTo(3);
        assertThat(entry.toString()).isEqualTo("AuditEntry[api-1 #3 event event-3]");
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtOnce() throws Exception {
        assertThatThrownBy(() -> AuditMacKeys.of("k1", new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> AuditMacKeys.of("k2", Map.of("k1", KEY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("k2");
        assertThatThrownBy(() -> AuditEntry.checkWriterId("../etc")).isInstanceOf(IllegalArgumentException.class);
        var rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        var builder = AuditChain.builder(
                "api-1",
                AuditLog.jsonLines(java.nio.file.Files.createTempDirectory("audit"))
                        .build(),
                AuditMacKeys.of("k1", KEY));
        assertThatThrownBy(() -> builder.checkpoints(rsa.getPrivate(), c -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Ed25519");
        assertThatThrownBy(() -> builder.checkpointEvery(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditBuffer(0, java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditCheckpoint("api-1", 0, "h", Instant.EPOCH, "s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLineThatIsNotAnEntryReadsAsUnreadable() {
        assertThat(AuditEntry.parse("api-1", "not json").isUnreadable()).isTrue();
        assertThat(AuditEntry.parse("api-1", "{\"v\":2}").isUnreadable()).isTrue();
        assertThat(AuditEntry.parse("api-1", AuditTamperTestLine.LINE.replace("\"seq\":3", "\"seq\":0"))
                        .isUnreadable())
                .isTrue();
    }

    /** A stored line, written by hand (its MAC is not checked here). */
    static final class AuditTamperTestLine {
        static final String LINE =
                "{\"event\":{\"id\":\"event-3\",\"detail\":\"Ann said no\"},\"kid\":\"k1\",\"mac\":\"" + "ab".repeat(32)
                        + "\",\"prev\":\"" + "0".repeat(64) + "\",\"seq\":3,\"v\":1,\"writer\":\"api-1\"}";
    }
}
