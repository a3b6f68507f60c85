package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.internal.CredentialCodec;
import dev.switchboard.oauth.support.LegacyBlobs;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The token file on an in-memory file system (any FileSystem works: paths never become java.io.Files). */
class EncryptedFileTokenStoreTest extends TokenStoreContract {
    private FileSystem fs;
    private Path dir;

    private Path file() {
        return dir.resolve("tokens.bin");
    }

    @Override
    protected TokenStore createStore(ManualClock clock) throws Exception {
        fs = Jimfs.newFileSystem(Configuration.unix());
        dir = fs.getPath("/var/lib/app");
        return open();
    }

    private EncryptedFileTokenStore open() {
        return EncryptedFileTokenStore.open(file(), TestKeys.beside(file()), clock);
    }

    @AfterEach
    void closeFileSystem() throws Exception {
        fs.close();
    }

    @Test
    void survivesReopeningAndHoldsNoPlaintext() throws Exception {
        store.compareAndSet("conn", 0, credential("secret-access-token", 1));
        assertThat(open().load("conn")).contains(credential("secret-access-token", 1));
        String raw = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        assertThat(raw)
                .doesNotContain("secret-access-token")
                .doesNotContain("instance_url")
                .startsWith("SBE1");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files)
                    .containsExactlyInAnyOrder(
                            file(),
                            dir.resolve("tokens.bin.lock"),
                            dir.resolve("data-keys.json"),
                            dir.resolve("data-keys.json.lock"));
        }
    }

    /** The nonce of a sealed file: after "SBE1", the scope (length-prefixed) and the data key version. */
    private static String nonce(byte[] blob) {
        int scopeLength = ((blob[4] & 0xff) << 8) | (blob[5] & 0xff);
        int from = 4 + 2 + scopeLength + 4;
        return HexFormat.of().formatHex(blob, from, from + 12);
    }

    /** The data key version of a sealed file: the 4 bytes big-endian after "SBE1" and the scope. */
    private static int dataKeyVersion(byte[] blob) {
        int scopeLength = ((blob[4] & 0xff) << 8) | (blob[5] & 0xff);
        return java.nio.ByteBuffer.wrap(blob, 4 + 2 + scopeLength, 4).getInt();
    }

    @Test
    void noncesStayUniqueAcrossWritesAndRestartsWithOneKey() throws Exception {
        Set<String> nonces = new HashSet<>();
        Set<Integer> dataKeyVersions = new HashSet<>();
        int writes = 0;
        for (int restart = 0; restart < 5; restart++) {
            TokenStore s = open();
            for (int i = 0; i < 20; i++) {
                long version = s.load("conn").map(Credential::version).orElse(0L);
                assertThat(s.compareAndSet("conn", version, credential("a", version + 1)))
                        .isTrue();
                byte[] blob = Files.readAllBytes(file());
                nonces.add(nonce(blob));
                dataKeyVersions.add(dataKeyVersion(blob));
                writes++;
            }
        }
        assertThat(dataKeyVersions).as("every write under one data key").hasSize(1);
        assertThat(nonces).hasSize(writes);
    }

    @Test
    void aTamperedFileIsAClearErrorNeverAnEmptyStore() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] bytes = Files.readAllBytes(file());
        bytes[bytes.length - 5] ^= 1;
        Files.write(file(), bytes);
        assertThatThrownBy(this::open)
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("tokens.bin cannot be read")
                .hasMessageContaining("integrity check");
    }

    @Test
    void aTruncatedFileIsAClearError() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] bytes = Files.readAllBytes(file());
        for (int length : new int[] {0, 3, 10, bytes.length / 2, bytes.length - 1}) {
            Files.write(file(), Arrays.copyOf(bytes, length));
            assertThatThrownBy(this::open)
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("cannot be read");
        }
    }

    @Test
    void masterKeysRotate_rewrapThenTheOldKeyCanBeRetired() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        Keys rotated = TestKeys.beside(file(), TestKeys.rotated());
        assertThat(rotated.rewrap()).isEqualTo(1);
        Keys k2Only = TestKeys.beside(file(), dev.switchboard.core.keys.KeyProvider.of("k2", TestKeys.K2));
        TokenStore reopened = EncryptedFileTokenStore.open(file(), k2Only, clock);
        assertThat(reopened.load("conn").orElseThrow().accessToken()).isEqualTo("a");
        assertThatThrownBy(this::open) // k1 alone no longer unwraps the data key
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k2'");
    }

    @Test
    void leftoverTemporaryFilesOfAnInterruptedWriteAreIgnoredAndRemoved() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        Files.write(dir.resolve(".tokens.bin.123.tmp"), new byte[] {1, 2, 3});
        assertThat(open().load("conn")).isPresent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files)
                    .containsExactlyInAnyOrder(
                            file(),
                            dir.resolve("tokens.bin.lock"),
                            dir.resolve("data-keys.json"),
                            dir.resolve("data-keys.json.lock"));
        }
    }

    @Test
    void aFullDiskLeavesThePreviousTokensAndSaysWhatToDo() throws Exception {
        try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setBlockSize(512)
                .setMaxSize(16 * 1024)
                .build())) {
            Path tokens = small.getPath("/data/tokens.bin");
            TokenStore s = EncryptedFileTokenStore.open(tokens, TestKeys.beside(tokens), clock);
            s.compareAndSet("conn", 0, credential("first", 1));
            byte[] before = Files.readAllBytes(tokens);
            Files.write(
                    small.getPath("/ballast"),
                    new byte[(int) Files.getFileStore(tokens).getUsableSpace()]);

            assertThatThrownBy(() -> s.compareAndSet("conn", 1, credential("second", 2)))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("previous content is intact")
                    .hasMessageContaining("free space");
            assertThat(Files.readAllBytes(tokens)).isEqualTo(before);
            assertThat(s.load("conn").orElseThrow().accessToken()).isEqualTo("first"); // memory unchanged too
            assertThat(EncryptedFileTokenStore.open(tokens, TestKeys.beside(tokens), clock)
                            .load("conn")
                            .orElseThrow()
                            .accessToken())
                    .isEqualTo("first");

            Files.delete(small.getPath("/ballast"));
            assertThat(s.compareAndSet("conn", 1, credential("second", 2))).isTrue();
        }
    }

    @Test
    void aFileOfThePreviousFormatIsReadAndRewrittenSealedWithDataKeys() throws Exception {
        Map<String, Credential> stored = new LinkedHashMap<>();
        stored.put("crm", credential("old-access", 3));
        stored.put("crm/t-1/u-1", Credential.builder("only-access").build());
        Files.createDirectories(dir);
        Files.write(
                file(),
                LegacyBlobs.seal(
                        TestKeys.K1, "k1", CredentialCodec.encodeAll(stored), "switchboard-token-file:tokens.bin"));

        TokenStore upgraded = open();
        assertThat(upgraded.load("crm")).contains(credential("old-access", 3));
        assertThat(upgraded.load("crm/t-1/u-1"))
                .contains(Credential.builder("only-access").build());
        assertThat(new String(Files.readAllBytes(file()), 0, 4, StandardCharsets.US_ASCII))
                .isEqualTo("SBE1");
        assertThat(open().load("crm")).contains(credential("old-access", 3));
    }

    @Test
    void twoStoresOnOneFileSeeEachOthersWritesAndNeverOverwriteThem() {
        TokenStore other = open(); // another process's view of the same file
        store.compareAndSet("conn", 0, credential("a", 1));
        assertThat(other.load("conn")).contains(credential("a", 1));
        assertThat(other.compareAndSet("conn", 1, credential("from-other", 2))).isTrue();
        assertThat(store.compareAndSet("conn", 1, credential("stale", 2))).isFalse();
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("from-other");
        assertThat(store.tryLease("conn", "instance-a", java.time.Duration.ofSeconds(30)))
                .isTrue();
        assertThat(other.tryLease("conn", "instance-b", java.time.Duration.ofSeconds(30)))
                .isFalse(); // leases live in the file too
        assertThat(open().load("conn").orElseThrow().accessToken()).isEqualTo("from-other");
    }

    @Test
    void credentialsWithoutOptionalPartsRoundTrip() {
        Credential bare = Credential.builder("only-access").build();
        store.compareAndSet("bare", 0, bare);
        assertThat(open().load("bare")).contains(bare);
    }
}
