package dev.switchboard.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.time.ManualClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeysTest {
    private static final byte[] K1 = bytes(1);
    private static final byte[] K2 = bytes(2);
    private static final byte[] AAD = "row-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET = "refresh-token-s3cr3t".getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-04-01T08:00:00Z"));
    private final DataKeyStore store = DataKeyStore.inMemory();

    private static byte[] bytes(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    private static String spec(String id, byte[] key) {
        return id + ":" + Base64.getEncoder().encodeToString(key);
    }

    private Keys keys(KeyProvider provider) {
        return Keys.builder(provider, store).clock(clock).build();
    }

    private Keys keys() {
        return keys(KeyProvider.of("k1", K1));
    }

    @Test
    void whatIsSealedOpensWithTheSameAssociatedData() {
        Keys keys = keys();
        for (KeyScope scope :
                List.of(KeyScope.tenant("t-7"), KeyScope.user("t-7", "u-42"), KeyScope.of("switchboard/tokens"))) {
            for (byte[] plain : List.of(SECRET, new byte[0], new byte[100_000])) {
                byte[] blob = keys.seal(scope, plain, AAD);
                assertThat(keys.open(blob, AAD)).isEqualTo(plain);
                assertThat(Keys.scopeOf(blob)).isEqualTo(scope);
            }
        }
        byte[] blob = keys.seal(KeyScope.tenant("t-7"), SECRET, AAD);
        assertThat(new String(blob, StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
    }

    @Test
    void theBlobStartsWithAHeaderNamingScopeAndDataKeyVersion() {
        byte[] blob = keys().seal(KeyScope.user("t/7", "u%42"), SECRET, AAD);
        ByteBuffer b = ByteBuffer.wrap(blob);
        byte[] magic = new byte[4];
        b.get(magic);
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("SBE1");
        byte[] scope = new byte[b.getShort()];
        b.get(scope);
        assertThat(new String(scope, StandardCharsets.UTF_8)).isEqualTo("tenant/t%2F7/user/u%2542");
        assertThat(b.getInt()).isEqualTo(1);
        // nonce (12), ciphertext as long as the plaintext, tag (16)
        assertThat(b.remaining()).isEqualTo(12 + SECRET.length + 16);
    }

    @Test
    void changingAnyByteOfTheBlobIsDetected() {
        Keys keys = keys();
        keys.seal(KeyScope.tenant("t-8"), SECRET, AAD); // a scope of the same length with a live key
        byte[] blob = keys.seal(KeyScope.tenant("t-7"), SECRET, AAD);
        for (int i = 0; i < blob.length; i++) {
            byte[] changed = blob.clone();
            changed[i] ^= 0x01;
            int index = i;
            assertThatThrownBy(() -> keys.open(changed, AAD))
                    .as("byte %d", index)
                    .isInstanceOf(PermanentException.class)
                    .hasMessageNotContaining("s3cr3t");
        }
        for (int length : new int[] {0, 3, 5, 20, blob.length - 17, blob.length - 1}) {
            assertThatThrownBy(() -> keys.open(Arrays.copyOf(blob, length), AAD))
                    .isInstanceOf(PermanentException.class);
        }
        assertThat(keys.open(blob, AAD)).isEqualTo(SECRET);
    }

    @Test
    void otherAssociatedDataOrAnotherScopeFailsTheIntegrityCheck() {
        Keys keys = keys();
        byte[] other = keys.seal(KeyScope.tenant("t-8"), SECRET, AAD);
        byte[] blob = keys.seal(KeyScope.tenant("t-7"), SECRET, AAD);
        assertThatThrownBy(() -> keys.open(blob, "row-2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check");
        // the blob moved to tenant t-8, whose data key exists: the header is authenticated
        byte[] moved = blob.clone();
        int at = new String(moved, StandardCharsets.ISO_8859_1).indexOf("t-7");
        moved[at + 2] = '8';
        assertThat(Keys.scopeOf(moved)).isEqualTo(KeyScope.tenant("t-8"));
        assertThatThrownBy(() -> keys.open(moved, AAD))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check");
        assertThat(keys.open(other, AAD)).isEqualTo(SECRET);
    }

    private static String nonce(byte[] blob) {
        int scopeLength = ((blob[4] & 0xff) << 8) | (blob[5] & 0xff);
        int from = 4 + 2 + scopeLength + 4;
        return HexFormat.of().formatHex(blob, from, from + 12);
    }

    @Test
    void everySealDrawsANewNonceAlsoAfterARestartWithTheSameKey() {
        int seals = 5_000;
        Set<String> nonces = new HashSet<>();
        Keys first = keys();
        for (int i = 0; i < seals; i++) {
            nonces.add(nonce(first.seal(KeyScope.tenant("t-7"), SECRET, AAD)));
        }
        Keys restarted = keys(); // a new instance over the same data key store and master key
        for (int i = 0; i < seals; i++) {
            nonces.add(nonce(restarted.seal(KeyScope.tenant("t-7"), SECRET, AAD)));
        }
        assertThat(nonces).hasSize(2 * seals);
        assertThat(store.list(null, 10)).hasSize(1); // one data key for all of them
    }

    @Test
    void destroyingATenantShredsItsUsersAndNothingElse() {
        Keys keys = keys();
        byte[] tenant = keys.seal(KeyScope.tenant("t-1"), SECRET, AAD);
        byte[] user = keys.seal(KeyScope.user("t-1", "u-1"), SECRET, AAD);
        byte[] sibling = keys.seal(KeyScope.tenant("t-10"), SECRET, AAD);
        byte[] siblingUser = keys.seal(KeyScope.user("t-10", "u-1"), SECRET, AAD);

        clock.advance(Duration.ofHours(1));
        assertThat(keys.destroy(KeyScope.tenant("t-1"))).isEqualTo(2);

        for (byte[] shredded : List.of(tenant, user)) {
            assertThatThrownBy(() -> keys.open(shredded, AAD))
                    .isInstanceOfSatisfying(KeyDestroyedException.class, e -> {
                        assertThat(e.scope()).startsWith("tenant/t-1");
                        assertThat(e.destroyedAt()).contains(Instant.parse("2026-04-01T09:00:00Z"));
                    })
                    .hasMessageContaining("tenant/t-1")
                    .hasMessageNotContaining("s3cr3t");
        }
        assertThat(keys.open(sibling, AAD)).isEqualTo(SECRET);
        assertThat(keys.open(siblingUser, AAD)).isEqualTo(SECRET);
        assertThat(keys.destroy(KeyScope.tenant("t-1"))).isZero();

        // the tenant may come back: new data gets a new data key, the old stays shredded
        byte[] again = keys.seal(KeyScope.tenant("t-1"), SECRET, AAD);
        assertThat(ByteBuffer.wrap(again, 4 + 2 + "tenant/t-1".length(), 4).getInt())
                .isEqualTo(2);
        assertThat(keys.open(again, AAD)).isEqualTo(SECRET);
        assertThatThrownBy(() -> keys.open(tenant, AAD)).isInstanceOf(KeyDestroyedException.class);
    }

    @Test
    void anotherInstanceNoticesADestroyWithinItsCacheTime() {
        Keys a = keys();
        Keys b = Keys.builder(KeyProvider.of("k1", K1), store)
                .clock(clock)
                .cacheTtl(Duration.ofSeconds(30))
                .build();
        byte[] blob = a.seal(KeyScope.user("t-1", "u-1"), SECRET, AAD);
        assertThat(b.open(blob, AAD)).isEqualTo(SECRET);

        a.destroy(KeyScope.user("t-1", "u-1"));
        assertThat(b.open(blob, AAD)).isEqualTo(SECRET); // b's cached data key, for up to 30 s
        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> b.open(blob, AAD)).isInstanceOf(KeyDestroyedException.class);

        Keys uncached = Keys.builder(KeyProvider.of("k1", K1), store)
                .clock(clock)
                .cacheTtl(Duration.ZERO)
                .build();
        byte[] other = uncached.seal(KeyScope.user("t-1", "u-2"), SECRET, AAD);
        assertThat(uncached.open(other, AAD)).isEqualTo(SECRET);
        a.destroy(KeyScope.user("t-1", "u-2"));
        assertThatThrownBy(() -> uncached.open(other, AAD)).isInstanceOf(KeyDestroyedException.class);
    }

    @Test
    void rewrapMovesEveryDataKeyToTheNewMasterKeySoTheOldOneCanBeRetired() {
        Keys old = keys(KeyProvider.fromSpec(spec("k1", K1), "test"));
        List<byte[]> blobs = new ArrayList<>();
        int scopes = 250; // more than one page of the data key store
        for (int i = 0; i < scopes; i++) {
            blobs.add(old.seal(KeyScope.user("t-1", "u-" + i), ("secret " + i).getBytes(StandardCharsets.UTF_8), AAD));
        }
        old.destroy(KeyScope.user("t-1", "u-0")); // destroyed keys are left alone

        Keys rotated = keys(KeyProvider.fromSpec(spec("k2", K2) + "," + spec("k1", K1), "test"));
        Keys retiredTooEarly = keys(KeyProvider.of("k2", K2));
        assertThatThrownBy(() -> retiredTooEarly.open(blobs.get(1), AAD))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k1'");

        assertThat(rotated.rewrap()).isEqualTo(scopes - 1);
        assertThat(rotated.rewrap()).isZero();
        assertThat(store.list(null, 1000))
                .filteredOn(k -> !k.destroyed())
                .extracting(WrappedDataKey::masterKeyId)
                .hasSize(scopes - 1)
                .containsOnly("k2");

        Keys retired = keys(KeyProvider.of("k2", K2)); // k1 is gone from the provider
        for (int i = 1; i < scopes; i++) {
            assertThat(retired.open(blobs.get(i), AAD))
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo("secret " + i);
        }
        assertThatThrownBy(() -> retired.open(blobs.get(0), AAD)).isInstanceOf(KeyDestroyedException.class);
    }

    /** A provider that keeps its key to itself, like a KMS, and counts the calls made to it. */
    private static final class CountingKms implements KeyProvider {
        private final KeyProvider inside = KeyProvider.of("kms-key-1", K2);
        final AtomicInteger wraps = new AtomicInteger();
        final AtomicInteger unwraps = new AtomicInteger();

        @Override
        public String currentKeyId() {
            return "kms-key-1";
        }

        @Override
        public byte[] wrap(String keyId, byte[] dataKey, byte[] aad) {
            wraps.incrementAndGet();
            return inside.wrap(keyId, dataKey, aad);
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrapped, byte[] aad) {
            unwraps.incrementAndGet();
            return inside.unwrap(keyId, wrapped, aad);
        }
    }

    /**
     * A provider that keeps a reference to every raw data key that passes between it and {@link Keys}: the ones
     * {@code Keys} hands it to wrap, and the ones it hands back unwrapped.
     */
    private static final class RecordingProvider implements KeyProvider {
        private final KeyProvider inside;
        final List<byte[]> rawCopies = new ArrayList<>();

        RecordingProvider(KeyProvider inside) {
            this.inside = inside;
        }

        @Override
        public String currentKeyId() {
            return inside.currentKeyId();
        }

        @Override
        public synchronized byte[] wrap(String keyId, byte[] dataKey, byte[] aad) {
            rawCopies.add(dataKey);
            return inside.wrap(keyId, dataKey, aad);
        }

        @Override
        public synchronized byte[] unwrap(String keyId, byte[] wrapped, byte[] aad) {
            byte[] raw = inside.unwrap(keyId, wrapped, aad);
            rawCopies.add(raw);
            return raw;
        }
    }

    @Test
    void rawDataKeyCopiesAreZeroedOnceUsed_sealOpenAndRewrap() {
        RecordingProvider first = new RecordingProvider(KeyProvider.of("k1", K1));
        byte[] blob = keys(first).seal(KeyScope.tenant("t-1"), SECRET, AAD); // a new data key, wrapped
        RecordingProvider second = new RecordingProvider(KeyProvider.of("k1", K1));
        assertThat(keys(second).open(blob, AAD)).isEqualTo(SECRET); // unwrapped
        RecordingProvider rotated =
                new RecordingProvider(KeyProvider.fromSpec(spec("k2", K2) + "," + spec("k1", K1), "test"));
        assertThat(keys(rotated).rewrap()).isEqualTo(1); // unwrapped with k1, wrapped again with k2
        assertThat(keys(KeyProvider.of("k2", K2)).open(blob, AAD)).isEqualTo(SECRET);

        assertThat(first.rawCopies).hasSize(1);
        assertThat(second.rawCopies).hasSize(1);
        assertThat(rotated.rawCopies).hasSize(2);
        byte[] zeros = new byte[32];
        for (RecordingProvider p : List.of(first, second, rotated)) {
            assertThat(p.rawCopies).allSatisfy(raw -> assertThat(raw).isEqualTo(zeros));
        }
    }

    @Test
    void aKmsIsCalledOncePerDataKeyWhileItIsCached() {
        CountingKms kms = new CountingKms();
        Keys keys = keys(kms);
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            blobs.add(keys.seal(KeyScope.tenant("t-1"), SECRET, AAD));
        }
        assertThat(kms.wraps).hasValue(1);
        assertThat(kms.unwraps).hasValue(0);

        Keys other = keys(kms);
        blobs.forEach(b -> assertThat(other.open(b, AAD)).isEqualTo(SECRET));
        assertThat(kms.unwraps).hasValue(1);
        clock.advance(Duration.ofMinutes(1)); // the default cache time
        other.open(blobs.get(0), AAD);
        assertThat(kms.unwraps).hasValue(2);
    }

    @Test
    void instancesSealingANewScopeAtOnceShareOneDataKey() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> sealed = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Keys instance = keys(); // each thread is another instance over the shared store
                sealed.add(pool.submit(() -> {
                    start.await();
                    return instance.seal(KeyScope.tenant("new-tenant"), SECRET, AAD);
                }));
            }
            start.countDown();
            Keys reader = keys();
            for (Future<byte[]> f : sealed) {
                assertThat(reader.open(f.get(30, TimeUnit.SECONDS), AAD)).isEqualTo(SECRET);
            }
            assertThat(store.list(null, 100))
                    .singleElement()
                    .extracting(WrappedDataKey::version)
                    .isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dataOfAnotherDataKeyStoreIsAClearErrorNotADestroyedKey() {
        byte[] blob = keys().seal(KeyScope.tenant("t-1"), SECRET, AAD);
        Keys elsewhere =
                Keys.builder(KeyProvider.of("k1", K1), DataKeyStore.inMemory()).build();
        assertThatThrownBy(() -> elsewhere.open(blob, AAD))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("no data key version 1 of scope 'tenant/t-1'");
    }

    @Test
    void nothingPrintsKeyMaterial() {
        Keys keys = keys(KeyProvider.fromSpec(spec("k1", K1), "test"));
        keys.seal(KeyScope.tenant("t-1"), SECRET, AAD);
        String printed = keys + " " + store.list(null, 10);
        assertThat(printed)
                .contains("k1")
                .doesNotContain(Base64.getEncoder().encodeToString(K1))
                .doesNotContain(HexFormat.of().formatHex(K1));
        for (WrappedDataKey k : store.list(null, 10)) {
            assertThat(printed).doesNotContain(Base64.getEncoder().encodeToString(k.wrapped()));
        }
    }
}
