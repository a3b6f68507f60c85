package dev.switchboard.core.keys;

import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Envelope encryption: data is sealed with AES-256-GCM under its scope's data key; data keys are wrapped by a
 * master key of the {@link KeyProvider} and kept in a {@link DataKeyStore}. Thread-safe.
 *
 * <pre>{@code
 * Keys keys = Keys.builder(KeyProvider.fromEnvironment("SWITCHBOARD_MASTER_KEYS"),
 *                          JdbcDataKeyStore.builder(dataSource).build()).build();
 * byte[] blob = keys.seal(KeyScope.user("t-7", "u-42"), plaintext, rowId);
 * byte[] back = keys.open(blob, rowId);
 * keys.destroy(KeyScope.user("t-7", "u-42"));   // crypto-shredding: the blob can never be opened again
 * keys.rewrap();                                  // after adding a new current master key
 * }</pre>
 *
 * <p>A sealed blob is {@code "SBE1" | scope length (2 bytes) | scope (UTF-8) | data key version (4 bytes) |
 * nonce (12 bytes) | ciphertext | tag (16 bytes)}. Each seal draws a fresh random 96-bit nonce from a
 * {@link SecureRandom}; the header and the caller's associated data are authenticated, so a blob edited in any
 * byte, truncated, moved to another scope, or opened with other associated data (pass the row's or file's identity)
 * fails. The master key id is not in the blob: the data key's record names it, so re-wrapping never touches data.
 *
 * <p>A scope's data key is made on its first seal. Unwrapped data keys are cached in memory for
 * {@link Builder#cacheTtl} (default one minute), so a KMS is not called for every seal; another instance sharing
 * the data key store notices a {@link #destroy} within that time.
 */
public final class Keys {
    private static final String NAME = "keys";
    private static final byte[] MAGIC = {'S', 'B', 'E', '1'};
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int DATA_KEY_BYTES = 32;
    private static final int CACHE_ENTRIES = 1024;
    private static final int PAGE = 100;

    private final KeyProvider masterKeys;
    private final DataKeyStore dataKeys;
    private final Clock clock;
    private final Duration cacheTtl;
    private final SecureRandom random = new SecureRandom();
    private final Lru<Id, Cached> keyCache = new Lru<>();
    private final Lru<String, Cached> latestCache = new Lru<>();
    /** Loads under way, so that threads missing the cache at once read the store and call the provider once. */
    private final ConcurrentHashMap<Object, CompletableFuture<Cached>> inFlight = new ConcurrentHashMap<>();

    private record Id(String scope, int version) {}

    private record LatestOf(String scope) {}

    private record Cached(int version, SecretKey key, Instant loadedAt) {}

    /** A header as read from a blob. */
    private record Header(KeyScope scope, int version, int length) {}

    private static final class Lru<K, V> extends LinkedHashMap<K, V> {
        private static final long serialVersionUID = 1L;

        Lru() {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > CACHE_ENTRIES;
        }
    }

    private Keys(KeyProvider masterKeys, DataKeyStore dataKeys, Clock clock, Duration cacheTtl) {
        this.masterKeys = masterKeys;
        this.dataKeys = dataKeys;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    /** Sealing with these master keys and data keys kept in {@code dataKeys}. */
    public static Builder builder(KeyProvider masterKeys, DataKeyStore dataKeys) {
        return new Builder(masterKeys, dataKeys);
    }

    /**
     * An ephemeral master key and data keys in memory, for tests and demos: <strong>whatever is sealed is
     * unreadable after a restart</strong>.
     */
    public static Keys ephemeral() {
        return builder(KeyProvider.ephemeral(), DataKeyStore.inMemory()).build();
    }

    /** The master keys. */
    public KeyProvider masterKeys() {
        return masterKeys;
    }

    /** The data key store. */
    public DataKeyStore dataKeys() {
        return dataKeys;
    }

    /**
     * Seals {@code plaintext} under {@code scope}'s current data key (made on the scope's first seal), with a fresh
     * nonce, authenticating the header and {@code aad}.
     *
     * @param aad associated data that {@link #open} must be given again: what the blob belongs to (a row key, a
     *     file name), so it cannot be moved elsewhere
     */
    public byte[] seal(KeyScope scope, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(aad, "aad");
        Cached dataKey = currentDataKey(scope);
        byte[] scopeBytes = scope.value().getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] header = ByteBuffer.allocate(MAGIC.length + 2 + scopeBytes.length + 4 + NONCE)
                .put(MAGIC)
                .putShort((short) scopeBytes.length)
                .put(scopeBytes)
                .putInt(dataKey.version())
                .put(nonce)
                .array();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, dataKey.key(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(header);
            c.updateAAD(aad);
            byte[] blob = new byte[header.length + c.getOutputSize(plaintext.length)];
            System.arraycopy(header, 0, blob, 0, header.length);
            c.doFinal(plaintext, 0, plaintext.length, blob, header.length);
            return blob;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Opens a blob {@link #seal} made, with the same {@code aad}.
     *
     * @throws KeyDestroyedException if its scope's data key was destroyed: it can never be read again
     * @throws PermanentException if it is not a sealed blob, fails its integrity check (edited, truncated, moved,
     *     other associated data), or its data key or master key is missing (the message says which)
     */
    public byte[] open(byte[] blob, byte[] aad) {
        Header header = header(blob);
        SecretKey key = dataKey(header.scope(), header.version());
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, blob, header.length() - NONCE, NONCE));
            c.updateAAD(blob, 0, header.length());
            c.updateAAD(aad);
            return c.doFinal(blob, header.length(), blob.length - header.length());
        } catch (AEADBadTagException e) {
            throw new PermanentException(
                    NAME,
                    "open",
                    "sealed data of scope '" + header.scope() + "' failed its integrity check: it was edited, truncated"
                            + " or moved (to another row, file or scope), or opened with other associated data");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Whether {@code data} starts as a blob {@link #seal} makes (its magic bytes); its integrity is not checked. */
    public static boolean isSealed(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * The scope a blob names, without opening it.
     *
     * @throws PermanentException if it is not a sealed blob
     */
    public static KeyScope scopeOf(byte[] blob) {
        return header(blob).scope();
    }

    private static Header header(byte[] blob) {
        if (!isSealed(blob) || blob.length < MAGIC.length + 2) {
            throw notSealed("it is not sealed data (empty, truncated, or something else was written there)");
        }
        int scopeLength = ((blob[MAGIC.length] & 0xff) << 8) | (blob[MAGIC.length + 1] & 0xff);
        int length = MAGIC.length + 2 + scopeLength + 4 + NONCE;
        if (blob.length < length + TAG_BITS / 8) {
            throw notSealed("it is truncated");
        }
        KeyScope scope;
        try {
            scope = KeyScope.of(new String(blob, MAGIC.length + 2, scopeLength, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw notSealed("its header is damaged");
        }
        int version = ByteBuffer.wrap(blob, MAGIC.length + 2 + scopeLength, 4).getInt();
        if (version < 1) {
            throw notSealed("its header is damaged");
        }
        return new Header(scope, version, length);
    }

    private static PermanentException notSealed(String why) {
        return new PermanentException(
                NAME, "open", "the data cannot be opened because " + why + "; restore it from a backup");
    }

    /**
     * Destroys the data keys of {@code scope} and of the scopes within it (a tenant's users): everything sealed under
     * them can never be opened again ({@link KeyDestroyedException}). The scope's next seal makes a new data key.
     * Other instances sharing the data key store notice within the cache time.
     *
     * @return how many data key versions were destroyed
     */
    public int destroy(KeyScope scope) {
        int destroyed = dataKeys.destroy(scope, clock.instant());
        synchronized (this) {
            keyCache.keySet().removeIf(id -> scope.contains(KeyScope.of(id.scope())));
            latestCache.keySet().removeIf(s -> scope.contains(KeyScope.of(s)));
        }
        return destroyed;
    }

    /**
     * Re-wraps every live data key that is not wrapped by the current master key with it, so older master keys can
     * be retired (removed from the provider) afterwards. Sealed data is not touched. Safe to run from several
     * instances at once: each data key is re-wrapped once.
     *
     * @return how many data keys this call re-wrapped
     * @throws PermanentException if a data key's master key is not in the provider any more (the message names it)
     */
    public int rewrap() {
        String current = masterKeys.currentKeyId();
        int rewrapped = 0;
        @Nullable WrappedDataKey after = null;
        while (true) {
            List<WrappedDataKey> page = dataKeys.list(after, PAGE);
            for (WrappedDataKey key : page) {
                String master = key.masterKeyId();
                byte @Nullable [] wrapped = key.wrapped();
                if (master == null || wrapped == null || master.equals(current)) {
                    continue;
                }
                byte[] aad = wrapAad(key.scope(), key.version());
                byte[] raw = masterKeys.unwrap(master, wrapped, aad);
                byte[] again;
                try {
                    again = masterKeys.wrap(current, raw, aad);
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
                if (dataKeys.rewrap(key.scope(), key.version(), master, current, again)) {
                    rewrapped++;
                }
            }
            if (page.size() < PAGE) {
                return rewrapped;
            }
            after = page.get(page.size() - 1);
        }
    }

    private Cached currentDataKey(KeyScope scope) {
        Instant now = clock.instant();
        synchronized (this) {
            Cached cached = latestCache.get(scope.value());
            if (cached != null && fresh(cached, now)) {
                return cached;
            }
        }
        return singleFlight(new LatestOf(scope.value()), () -> loadCurrent(scope, now));
    }

    private Cached loadCurrent(KeyScope scope, Instant now) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            Optional<WrappedDataKey> latest = dataKeys.latest(scope);
            if (latest.isPresent() && !latest.get().destroyed()) {
                return remember(latest.get().version(), scope, unwrap(latest.get()), now, true);
            }
            int version = latest.map(k -> k.version() + 1).orElse(1);
            byte[] raw = new byte[DATA_KEY_BYTES];
            random.nextBytes(raw);
            try {
                String master = masterKeys.currentKeyId();
                byte[] wrapped = masterKeys.wrap(master, raw, wrapAad(scope, version));
                if (dataKeys.add(WrappedDataKey.live(scope, version, master, wrapped, now))) {
                    return remember(version, scope, new SecretKeySpec(raw, "AES"), now, true);
                }
                // another instance made this version first: use theirs
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        }
        throw new TransientException(
                NAME,
                "seal",
                "could not make a data key for scope '" + scope + "': other instances kept making new versions;"
                        + " try again",
                null);
    }

    private SecretKey dataKey(KeyScope scope, int version) {
        Instant now = clock.instant();
        Id id = new Id(scope.value(), version);
        synchronized (this) {
            Cached cached = keyCache.get(id);
            if (cached != null && fresh(cached, now)) {
                return cached.key();
            }
        }
        return singleFlight(id, () -> loadDataKey(scope, version, now)).key();
    }

    private Cached loadDataKey(KeyScope scope, int version, Instant now) {
        WrappedDataKey stored = dataKeys.find(scope, version)
                .orElseThrow(() -> new PermanentException(
                        NAME,
                        "open",
                        "there is no data key version " + version + " of scope '" + scope + "' in " + dataKeys
                                + ": this is not the data key store the data was sealed with (or it was restored"
                                + " from an older backup); configure the right one"));
        if (stored.destroyed()) {
            throw new KeyDestroyedException(
                    NAME,
                    "open",
                    scope.value(),
                    stored.destroyedAt(),
                    "the data key of scope '" + scope + "' was destroyed at " + stored.destroyedAt()
                            + " (crypto-shredded): what was sealed under it can never be read again");
        }
        return remember(version, scope, unwrap(stored), now, false);
    }

    private Cached singleFlight(Object key, Supplier<Cached> load) {
        CompletableFuture<Cached> mine = new CompletableFuture<>();
        CompletableFuture<Cached> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        try {
            Cached loaded = load.get();
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private SecretKey unwrap(WrappedDataKey key) {
        byte[] raw = masterKeys.unwrap(
                Objects.requireNonNull(key.masterKeyId()),
                Objects.requireNonNull(key.wrapped()),
                wrapAad(key.scope(), key.version()));
        try {
            if (raw.length != DATA_KEY_BYTES) {
                throw new PermanentException(
                        NAME,
                        "open",
                        "the data key version " + key.version() + " of scope '" + key.scope()
                                + "' is not an AES-256 key; the data key store was edited outside Switchboard");
            }
            return new SecretKeySpec(raw, "AES");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private synchronized Cached remember(int version, KeyScope scope, SecretKey key, Instant now, boolean latest) {
        Cached cached = new Cached(version, key, now);
        if (cacheTtl.isZero()) {
            return cached;
        }
        keyCache.put(new Id(scope.value(), version), cached);
        if (latest) {
            latestCache.put(scope.value(), cached);
        }
        return cached;
    }

    private boolean fresh(Cached cached, Instant now) {
        return !cacheTtl.isZero() && now.isBefore(cached.loadedAt().plus(cacheTtl));
    }

    /** What a wrapped data key is bound to: its scope and version (it cannot be moved to another). */
    private static byte[] wrapAad(KeyScope scope, int version) {
        return ("switchboard-data-key\u0000" + scope.value() + "\u0000" + version).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Keys[" + masterKeys + ", " + dataKeys + "]";
    }

    /** Builds {@link Keys}. */
    public static final class Builder {
        private final KeyProvider masterKeys;
        private final DataKeyStore dataKeys;
        private Clock clock = Clock.systemUTC();
        private Duration cacheTtl = Duration.ofMinutes(1);

        private Builder(KeyProvider masterKeys, DataKeyStore dataKeys) {
            this.masterKeys = Objects.requireNonNull(masterKeys, "masterKeys");
            this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        }

        /** The clock for data key times and the cache; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long an unwrapped data key is reused before it is read again (one minute by default; zero reads the
         * store and calls the provider on every seal and open). Another instance's {@link Keys#destroy} is noticed
         * within this time.
         */
        public Builder cacheTtl(Duration cacheTtl) {
            if (cacheTtl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl is not negative: " + cacheTtl);
            }
            this.cacheTtl = cacheTtl;
            return this;
        }

        public Keys build() {
            return new Keys(masterKeys, dataKeys, clock, cacheTtl);
        }
    }
}
