package dev.switchboard.core.audit;

import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditSink} that appends every event to one writer's hash chain in an {@link AuditLog}: each entry holds
 * the hash of the one before and an HMAC under a key of {@link AuditMacKeys} (held outside the log), computed over
 * the entry as stored. Give it to {@code Switchboard.builder().auditSink(...)}.
 *
 * <pre>{@code
 * AuditChain chain = AuditChain.builder("api-1", AuditLog.jsonLines(dir).build(), macKeys)
 *     .checkpoints(signingKey, CheckpointExporter.directory(worm))   // Ed25519 private key
 *     .checkpointEvery(1000).checkpointInterval(Duration.ofMinutes(5))
 *     .sealDetails(keys)
 *     .build();
 * }</pre>
 *
 * <p>What holds:
 * <ul>
 *   <li>{@link #record} returns once the entry is stored ({@link AuditLog#append}), and throws if it was not; then
 *       the chain's head did not move, so the next event takes the same place.
 *   <li>Events are chained in the order {@code record} is called; calls are serialized.
 *   <li>After {@link Builder#checkpointEvery} entries, or on the first entry once
 *       {@link Builder#checkpointInterval} passed on the clock, the head is signed and exported. An export that
 *       fails is logged at ERROR on {@code dev.switchboard.audit}, counted
 *       ({@code switchboard.audit.checkpoint.failures}) and tried again on the next entry; the entry itself stays
 *       recorded.
 *   <li>With {@link Builder#sealDetails}, each event's {@code detail} (a reason, which may quote a person) is sealed
 *       under the principal's user scope ({@code KeyScope.user(tenant, user)}) with the event id as associated
 *       data, and stored as ciphertext: the MAC covers the ciphertext, so destroying that data key later makes the
 *       detail unreadable and leaves the chain verifiable. Without it, details are stored as they are.
 *   <li>A chain resumes from its log's last entry, whose MAC must verify: a log changed at its end is refused at
 *       {@link Builder#build()}.
 * </ul>
 */
public final class AuditChain implements AuditSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.audit");

    private final String writerId;
    private final AuditLog auditLog;
    private final AuditMacKeys macKeys;
    private final @Nullable PrivateKey signingKey;
    private final @Nullable CheckpointExporter exporter;
    private final long checkpointEvery;
    private final @Nullable Duration checkpointInterval;
    private final Clock clock;
    private final @Nullable Keys sealing;
    private final Counter checkpoints;
    private final Counter checkpointFailures;

    private long seq;
    private String head;
    private long sinceCheckpoint;
    private Instant lastCheckpointAt;
    private @Nullable AuditCheckpoint lastCheckpoint;

    private AuditChain(Builder b) {
        this.writerId = b.writerId;
        this.auditLog = b.log;
        this.macKeys = b.macKeys;
        this.signingKey = b.signingKey;
        this.exporter = b.exporter;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointInterval = b.checkpointInterval;
        this.clock = b.clock;
        this.sealing = b.sealing;
        this.checkpoints = Counter.builder("switchboard.audit.checkpoints")
                .description("Audit chain checkpoints signed and exported")
                .tag("writer", writerId)
                .register(b.meters);
        this.checkpointFailures = Counter.builder("switchboard.audit.checkpoint.failures")
                .description("Audit chain checkpoints that could not be signed or exported")
                .tag("writer", writerId)
                .register(b.meters);
        Optional<AuditEntry> last = auditLog.last(writerId);
        if (last.isPresent()) {
            AuditEntry e = last.get();
            if (e.isUnreadable() || !e.writerId().equals(writerId) || !macMatches(macKeys, e)) {
                throw new IllegalStateException("the last entry of audit chain " + writerId + " in " + auditLog
                        + " does not verify: the log was changed or damaged at its end; run the AuditVerifier on it"
                        + " before writing more");
            }
            this.seq = e.seq();
            this.head = e.hash();
        } else {
            this.seq = 0;
            this.head = AuditEntry.GENESIS;
        }
        this.lastCheckpointAt = clock.instant();
    }

    /**
     * A chain for writer {@code writerId} (one per instance: two instances never share one) in {@code log},
     * authenticated with {@code macKeys}.
     */
    public static Builder builder(String writerId, AuditLog log, AuditMacKeys macKeys) {
        return new Builder(writerId, log, macKeys);
    }

    /** Whether {@code entry}'s MAC verifies under the key it names (false if there is no such key). */
    static boolean macMatches(AuditMacKeys keys, AuditEntry entry) {
        if (!keys.has(entry.keyId())) {
            return false;
        }
        byte[] expected = keys.mac(entry.keyId(), entry.content().getBytes(StandardCharsets.UTF_8));
        byte[] found;
        try {
            found = HexFormat.of().parseHex(entry.mac());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, found);
    }

    /** The writer id. */
    public String writerId() {
        return writerId;
    }

    /** The sequence number of the last entry, 0 for an empty chain. */
    public synchronized long headSeq() {
        return seq;
    }

    /** The hash of the last entry, {@link AuditEntry#GENESIS} for an empty chain. */
    public synchronized String headHash() {
        return head;
    }

    /** The last checkpoint this chain signed and exported, if any. */
    public synchronized Optional<AuditCheckpoint> lastCheckpoint() {
        return Optional.ofNullable(lastCheckpoint);
    }

    /**
     * Appends the event; returns when it is stored.
     *
     * @throws RuntimeException if it could not be stored (the log's failure); nothing was appended
     */
    @Override
    public synchronized void record(AuditEvent event) {
        AuditEntry unsigned = new AuditEntry(writerId, seq + 1, head, macKeys.currentKeyId(), stored(event), "");
        String mac = HexFormat.of()
                .formatHex(macKeys.mac(unsigned.keyId(), unsigned.content().getBytes(StandardCharsets.UTF_8)));
        AuditEntry entry = new AuditEntry(writerId, seq + 1, head, unsigned.keyId(), unsigned.event(), mac);
        auditLog.append(entry);
        seq = entry.seq();
        head = entry.hash();
        sinceCheckpoint++;
        if (signingKey != null
                && (sinceCheckpoint >= checkpointEvery
                        || (checkpointInterval != null
                                && !clock.instant().isBefore(lastCheckpointAt.plus(checkpointInterval))))) {
            try {
                checkpoint();
            } catch (RuntimeException e) {
                checkpointFailures.increment();
                log.error(
                        "The audit chain {} could not export its checkpoint at seq {}; it tries again with the next"
                                + " entry: {}",
                        writerId,
                        seq,
                        e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Signs the head now and exports the checkpoint; empty when the chain has no entries yet.
     *
     * @throws IllegalStateException if the chain was built without {@link Builder#checkpoints}
     * @throws RuntimeException the exporter's failure, when it could not keep the checkpoint
     */
    public synchronized Optional<AuditCheckpoint> checkpoint() {
        if (signingKey == null || exporter == null) {
            throw new IllegalStateException(
                    "this chain signs no checkpoints: build it with checkpoints(key, exporter)");
        }
        if (seq == 0) {
            return Optional.empty();
        }
        AuditCheckpoint c = AuditCheckpoint.sign(writerId, seq, head, clock.instant(), signingKey);
        exporter.export(c);
        checkpoints.increment();
        lastCheckpoint = c;
        lastCheckpointAt = c.at();
        sinceCheckpoint = 0;
        return Optional.of(c);
    }

    /** Signs a last checkpoint if entries were added since the last one (and checkpoints are configured). */
    @Override
    public synchronized void close() {
        if (signingKey != null && sinceCheckpoint > 0) {
            checkpoint();
        }
    }

    private JsonObject stored(AuditEvent e) {
        JsonObject.Builder b = JsonObject.builder()
                .put("id", e.id())
                .put("at", e.at().toString())
                .put("kind", e.kind().name())
                .put("outcome", e.outcome().name())
                .put("connection", e.connection())
                .put("operation", e.operation())
                .put("user", e.userId())
                .put("tenant", e.tenantId())
                .put("session", e.sessionId())
                .put("trace", e.traceId())
                .put("effect", e.effect().name())
                .put("input", e.inputDigest())
                .put("records", Json.strings(e.recordIds()))
                .put("recordCount", e.recordCount());
        if (sealing != null && !e.detail().isEmpty()) {
            byte[] blob = sealing.seal(
                    detailScope(e.tenantId(), e.userId()),
                    e.detail().getBytes(StandardCharsets.UTF_8),
                    detailAad(e.id()));
            b.put("sealedDetail", Base64.getEncoder().encodeToString(blob));
        } else {
            b.put("detail", e.detail());
        }
        return b.build();
    }

    static KeyScope detailScope(String tenantId, String userId) {
        return KeyScope.user(tenantId, userId);
    }

    static byte[] detailAad(String eventId) {
        return ("switchboard-audit-detail:" + eventId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The detail of a stored event: as stored when plain, opened with {@code keys} when sealed.
     *
     * @throws dev.switchboard.core.error.KeyDestroyedException if its user's data key was destroyed
     */
    public static String detail(AuditEntry entry, Keys keys) {
        String sealed = entry.event().string("sealedDetail");
        if (sealed == null) {
            String plain = entry.event().string("detail");
            return plain == null ? "" : plain;
        }
        return new String(
                keys.open(Base64.getDecoder().decode(sealed), detailAad(entry.eventId())), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "AuditChain[" + writerId + " in " + auditLog + "]";
    }

    /** Builds an {@link AuditChain}; fails fast on a setting that cannot work. */
    public static final class Builder {
        private final String writerId;
        private final AuditLog log;
        private final AuditMacKeys macKeys;
        private @Nullable PrivateKey signingKey;
        private @Nullable CheckpointExporter exporter;
        private long checkpointEvery = 1000;
        private @Nullable Duration checkpointInterval = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();
        private @Nullable Keys sealing;
        private MeterRegistry meters = new SimpleMeterRegistry();

        private Builder(String writerId, AuditLog log, AuditMacKeys macKeys) {
            this.writerId = AuditEntry.checkWriterId(writerId);
            this.log = Objects.requireNonNull(log, "log");
            this.macKeys = Objects.requireNonNull(macKeys, "macKeys");
        }

        /**
         * Signs checkpoints with {@code ed25519Key} and exports them with {@code exporter}; none by default (then
         * a log cut short at its end cannot be told from a shorter one).
         *
         * @throws IllegalArgumentException if the key is not an Ed25519 (EdDSA) private key
         */
        public Builder checkpoints(PrivateKey ed25519Key, CheckpointExporter exporter) {
            Objects.requireNonNull(ed25519Key, "ed25519Key");
            if (!ed25519Key.getAlgorithm().equals("EdDSA")
                    && !ed25519Key.getAlgorithm().equals("Ed25519")) {
                throw new IllegalArgumentException("checkpoints are signed with an Ed25519 key, not "
                        + ed25519Key.getAlgorithm() + " (KeyPairGenerator.getInstance(\"Ed25519\"))");
            }
            this.signingKey = ed25519Key;
            this.exporter = Objects.requireNonNull(exporter, "exporter");
            return this;
        }

        /** A checkpoint after this many entries; 1000 by default, at least 1. */
        public Builder checkpointEvery(long entries) {
            if (entries < 1) {
                throw new IllegalArgumentException("checkpointEvery is at least 1, not " + entries);
            }
            this.checkpointEvery = entries;
            return this;
        }

        /**
         * A checkpoint with the first entry once this much time passed since the last; five minutes by default,
         * null for none. Positive.
         */
        public Builder checkpointInterval(@Nullable Duration interval) {
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("checkpointInterval is positive, not " + interval);
            }
            this.checkpointInterval = interval;
            return this;
        }

        /** The clock for checkpoint times and intervals; the system's UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Seals each event's detail with {@code keys} under the principal's user scope; details are plain otherwise. */
        public Builder sealDetails(Keys keys) {
            this.sealing = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** Where the checkpoint meters go; a private registry by default. */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /**
         * The chain, resumed from the log's last entry of this writer.
         *
         * @throws IllegalStateException if that entry does not verify (the log was changed at its end)
         */
        public AuditChain build() {
            return new AuditChain(this);
        }
    }
}
