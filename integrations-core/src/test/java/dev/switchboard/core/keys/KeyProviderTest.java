package dev.switchboard.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.PermanentException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyProviderTest {
    private static final byte[] DATA_KEY = new byte[32];
    private static final byte[] AAD = "scope v1".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed + 7 * i);
        }
        return k;
    }

    private static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void aSpecListsKeysAndTheFirstIsCurrent() {
        KeyProvider keys = KeyProvider.fromSpec("k2:" + b64(key(2)) + ", k1:" + b64(key(1)), "test");
        assertThat(keys.currentKeyId()).isEqualTo("k2");
        byte[] wrapped = keys.wrap("k1", DATA_KEY, AAD);
        // the same key given another way unwraps it: the spec's second key is k1
        assertThat(KeyProvider.of("k1", key(1)).unwrap("k1", wrapped, AAD)).isEqualTo(DATA_KEY);
        assertThat(keys.unwrap("k1", wrapped, AAD)).isEqualTo(DATA_KEY);
    }

    @Test
    void aWrappedKeyIsNonceThenCiphertextAndTagAndIsBoundToItsAssociatedData() {
        KeyProvider keys = KeyProvider.of("k1", key(1));
        byte[] wrapped = keys.wrap("k1", DATA_KEY, AAD);
        assertThat(wrapped).hasSize(12 + 32 + 16);
        assertThat(keys.wrap("k1", DATA_KEY, AAD)).isNotEqualTo(wrapped); // a fresh nonce each time
        assertThatThrownBy(() -> keys.unwrap("k1", wrapped, "scope v2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check");
        assertThatThrownBy(() -> KeyProvider.of("k1", key(9)).unwrap("k1", wrapped, AAD))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check");
        assertThatThrownBy(() -> keys.unwrap("k9", wrapped, AAD))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("no master key with id 'k9'")
                .hasMessageContaining("[k1]");
    }

    @Test
    void badSpecsAreClearErrorsThatNeverQuoteAKey() {
        String secret = b64(key(3));
        assertThatThrownBy(() -> KeyProvider.fromSpec("k1:AAAA", "test"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("32 bytes, got 3");
        assertThatThrownBy(() -> KeyProvider.fromSpec(secret, "SB_KEYS"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("SB_KEYS must hold id:base64key")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> KeyProvider.fromSpec("k1:" + secret + "!", "test"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("key 'k1' is not valid base64")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> KeyProvider.fromSpec("k1:" + secret + ",k1:" + b64(key(4)), "test"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k1' appears twice")
                .hasMessageNotContaining(secret);
        assertThatThrownBy(() -> KeyProvider.fromSpec("k1:" + secret + ",", "test"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("has no id");
        assertThatThrownBy(() -> KeyProvider.fromEnvironment("SWITCHBOARD_SURELY_UNSET_VARIABLE"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("SWITCHBOARD_SURELY_UNSET_VARIABLE is not set");
        assertThat(KeyProvider.fromSpec("k1:" + secret, "test").toString())
                .contains("k1")
                .doesNotContain(secret);
    }

    private Path keystore(String alias, byte[] key, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        ks.setEntry(
                alias,
                new KeyStore.SecretKeyEntry(new SecretKeySpec(key, "AES")),
                new KeyStore.PasswordProtection(password));
        ks.setEntry(
                "short",
                new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")), // AES-128: not a master key
                new KeyStore.PasswordProtection(password));
        Path p12 = dir.resolve("keys.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, password);
        }
        return p12;
    }

    @Test
    void pkcs12AliasesMatchWhateverTheirCaseAsTheKeystoreLowerCasesThem() throws Exception {
        char[] password = "changeit".toCharArray();
        Path p12 = keystore("Master-2026", key(5), password);

        KeyProvider keys = KeyProvider.fromPkcs12(p12, password, "Master-2026");
        assertThat(keys.currentKeyId()).isEqualTo("master-2026");
        byte[] wrapped = keys.wrap(keys.currentKeyId(), DATA_KEY, AAD);
        assertThat(KeyProvider.of("x", key(5)).unwrap("x", wrapped, AAD)).isEqualTo(DATA_KEY);
        assertThat(KeyProvider.fromPkcs12(p12, password, "MASTER-2026").unwrap("Master-2026", wrapped, AAD))
                .isEqualTo(DATA_KEY);

        assertThatThrownBy(() -> KeyProvider.fromPkcs12(p12, password, "short"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("no AES-256 secret key with alias 'short'");
        assertThatThrownBy(() -> KeyProvider.fromPkcs12(p12, "wrong".toCharArray(), "master-2026"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("wrong password");
        assertThatThrownBy(() -> KeyProvider.fromPkcs12(dir.resolve("missing.p12"), password, "k1"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("missing.p12");
    }

    @Test
    void anEphemeralKeyOpensNothingAnotherOneWrapped() {
        KeyProvider one = KeyProvider.ephemeral();
        KeyProvider two = KeyProvider.ephemeral();
        assertThat(one.currentKeyId()).startsWith("ephemeral-").isNotEqualTo(two.currentKeyId());
        byte[] wrapped = one.wrap(one.currentKeyId(), DATA_KEY, AAD);
        assertThat(one.unwrap(one.currentKeyId(), wrapped, AAD)).isEqualTo(DATA_KEY);
        assertThatThrownBy(() -> two.unwrap(one.currentKeyId(), wrapped, AAD)).isInstanceOf(PermanentException.class);
    }
}
