package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedFileTokenStoreTest extends TokenStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("tokens.bin");
    }

    @Override
    protected TokenStore createStore(ManualClock clock) {
        return EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock);
    }

    @Test
    void survivesReopeningAndHoldsNoPlaintext() throws Exception {
        store.compareAndSet("conn", 0, credential("secret-access-token", 1));
        TokenStore reopened = EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock);
        assertThat(reopened.load("conn")).contains(credential("secret-access-token", 1));
        String raw = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        assertThat(raw)
                .doesNotContain("secret-access-token")
                .doesNotContain("instance_url")
                .startsWith("SBT1");
    }

    @Test
    void everyWriteUsesAFreshNonce() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] first = Files.readAllBytes(file());
        store.delete("conn");
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] second = Files.readAllBytes(file());
        assertThat(second).hasSameSizeAs(first).isNotEqualTo(first);
    }

    @Test
    void aTamperedFileIsAClearErrorNeverAnEmptyStore() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] bytes = Files.readAllBytes(file());
        bytes[bytes.length - 5] ^= 1;
        Files.write(file(), bytes);
        assertThatThrownBy(() -> EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check");
    }

    @Test
    void aTruncatedFileIsAClearError() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        byte[] bytes = Files.readAllBytes(file());
        for (int length : new int[] {0, 3, 10, bytes.length / 2, bytes.length - 1}) {
            Files.write(file(), Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock))
                    .isInstanceOf(PermanentException.class)
                    .hasMessageContaining("cannot be read");
        }
    }

    @Test
    void keysRotate_oldFilesStayReadableAndTheNextWriteUsesTheNewKey() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenStore rotated = EncryptedFileTokenStore.open(file(), TestKeys.rotated(), clock);
        assertThat(rotated.load("conn").orElseThrow().accessToken()).isEqualTo("a");
        rotated.compareAndSet("conn", 1, credential("b", 2));
        assertThat(new String(Files.readAllBytes(file()), 5, 2, StandardCharsets.UTF_8))
                .isEqualTo("k2");
        assertThatThrownBy(() -> EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k2'");
    }

    @Test
    void leftoverTemporaryFilesOfAnInterruptedWriteAreIgnoredAndRemoved() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        Files.write(dir.resolve(".tokens.bin.123.tmp"), new byte[] {1, 2, 3});
        TokenStore reopened = EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock);
        assertThat(reopened.load("conn")).isPresent();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file());
        }
    }

    @Test
    void keysComeFromAPkcs12Keystore() throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setEntry(
                "k1",
                new KeyStore.SecretKeyEntry(new SecretKeySpec(TestKeys.K1, "AES")),
                new KeyStore.PasswordProtection(password));
        Path p12 = dir.resolve("keys.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, password);
        }
        store.compareAndSet("conn", 0, credential("a", 1));
        KeyProvider fromKeystore = KeyProvider.fromPkcs12(p12, password, "k1");
        assertThat(EncryptedFileTokenStore.open(file(), fromKeystore, clock).load("conn"))
                .isPresent();
        assertThatThrownBy(() -> KeyProvider.fromPkcs12(p12, password, "missing"))
                .isInstanceOf(PermanentException.class);
        assertThatThrownBy(() -> KeyProvider.fromPkcs12(p12, "wrong".toCharArray(), "k1"))
                .isInstanceOf(PermanentException.class);
    }

    @Test
    void badKeySpecsAreClearErrors() {
        assertThatThrownBy(() -> KeyProvider.fromSpec("k1:AAAA", "test"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> KeyProvider.fromSpec("nocolon", "test")).isInstanceOf(PermanentException.class);
        assertThatThrownBy(() -> KeyProvider.fromEnvironment("SWITCHBOARD_SURELY_UNSET_VARIABLE"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("SWITCHBOARD_SURELY_UNSET_VARIABLE");
        assertThat(KeyProvider.fromSpec(TestKeys.spec(), "test").toString())
                .doesNotContain(TestKeys.spec().substring(3));
    }

    @Test
    void credentialsWithoutOptionalPartsRoundTrip() {
        Credential bare = Credential.builder("only-access").build();
        store.compareAndSet("bare", 0, bare);
        assertThat(EncryptedFileTokenStore.open(file(), TestKeys.k1(), clock).load("bare"))
                .contains(bare);
    }
}
