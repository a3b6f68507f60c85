package dev.switchboard.core.audit;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One link of a writer's hash chain, as stored. Its stored form ({@link #line()}) is the RFC 8785 canonical JSON of
 * {@code {"v":1,"writer","seq","prev","kid","event","mac"}}: {@code mac} is the HMAC-SHA256, under master key
 * {@code kid} of {@link AuditMacKeys}, of the canonical JSON of the same object without {@code mac}
 * ({@link #content()}); {@link #hash()} is the SHA-256 of the stored line, and the next entry's {@code prev}.
 * The first entry of a chain has {@code seq} 1 and {@code prev} {@link #GENESIS}.
 *
 * <p>{@code event} holds the {@code AuditEvent}'s fields: ids, digests and decisions. Its {@code detail} is either
 * plain ({@code "detail"}) or sealed ({@code "sealedDetail"}, base64 of a {@code Keys.seal} blob): the MAC covers the
 * ciphertext, so destroying the data key later does not break verification. {@code toString()} prints the writer,
 * sequence number and event id only.
 *
 * @param writerId the chain: one per writer (instance)
 * @param seq the position in the chain, from 1; -1 for a line that could not be read ({@link #unreadable})
 * @param prevHash the {@link #hash()} of the entry before, {@link #GENESIS} for the first
 * @param keyId the id of the MAC key
 * @param event the event as stored
 * @param mac the HMAC-SHA256 of {@link #content()}, 64 hex digits
 */
public record AuditEntry(String writerId, long seq, String prevHash, String keyId, JsonObject event, String mac) {
    /** The {@code prev} of a chain's first entry: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final Pattern WRITER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public AuditEntry {
        Objects.requireNonNull(writerId, "writerId");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(mac, "mac");
    }

    /**
     * Checks a writer id: 1 to 64 letters, digits, {@code .}, {@code _} and {@code -}, starting with a letter or
     * digit (it names files).
     *
     * @return {@code writerId}
     * @throws IllegalArgumentException otherwise
     */
    public static String checkWriterId(String writerId) {
        Objects.requireNonNull(writerId, "writerId");
        if (!WRITER.matcher(writerId).matches()) {
            throw new IllegalArgumentException("a writer id has 1 to 64 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit, e.g. 'api-1'");
        }
        return writerId;
    }

    /**
     * What a line of a chain that is not a readable entry (damaged, or not JSON) stands as: it verifies as nothing.
     */
    public static AuditEntry unreadable(String writerId) {
        return new AuditEntry(writerId, -1, "", "", JsonObject.empty(), "");
    }

    /** Whether this stands for a line that could not be read. */
    public boolean isUnreadable() {
        return seq < 0;
    }

    /** The canonical JSON the MAC is computed over: the stored object without {@code mac}. */
    public String content() {
        return Json.canonicalize(fields().build());
    }

    /** The stored form: one line of canonical JSON, without a line break. */
    public String line() {
        return Json.canonicalize(fields().put("mac", mac).build());
    }

    /** Every stored field but {@code mac}: the one place the entry's format is spelled. */
    private JsonObject.Builder fields() {
        return JsonObject.builder()
                .put("v", 1)
                .put("writer", writerId)
                .put("seq", seq)
                .put("prev", prevHash)
                .put("kid", keyId)
                .put("event", event);
    }

    /** The SHA-256 of {@link #line()}, 64 hex digits: what the next entry's {@code prev} holds. */
    public String hash() {
        return sha256Hex(line());
    }

    /** The event's id, or {@code "-"}. */
    public String eventId() {
        String id = event.string("id");
        return id == null ? "-" : id;
    }

    /**
     * Reads a stored line. A line that is not an entry of format 1 (damaged, edited into something else) reads as
     * {@link #unreadable(String)} of {@code writerId}, so that a verifier reports it instead of failing.
     *
     * @param writerId the chain the line was found in
     */
    public static AuditEntry parse(String writerId, String line) {
        try {
            JsonValue value = Json.parse(line);
            if (!(value instanceof JsonObject o)) {
                return unreadable(writerId);
            }
            BigDecimal v = o.number("v");
            BigDecimal seq = o.number("seq");
            String writer = o.string("writer");
            String prev = o.string("prev");
            String kid = o.string("kid");
            JsonObject event = o.object("event");
            String mac = o.string("mac");
            if (v == null
                    || v.intValue() != 1
                    || seq == null
                    || writer == null
                    || prev == null
                    || kid == null
                    || event == null
                    || mac == null
                    || o.size() != 7) {
                return unreadable(writerId);
            }
            long s = seq.longValueExact();
            return s < 1 ? unreadable(writerId) : new AuditEntry(writer, s, prev, kid, event, mac);
        } catch (ArithmeticException | IllegalArgumentException e) { // JsonFormatException included
            return unreadable(writerId);
        }
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AuditEntry[" + writerId + " #" + seq + " event " + eventId() + "]";
    }
}
