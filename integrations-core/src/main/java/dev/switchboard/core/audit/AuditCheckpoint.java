package dev.switchboard.core.audit;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A writer's chain head, signed with Ed25519 (the JDK's own provider): {@code {writer, seq, head, at}} as canonical
 * JSON ({@link #signedContent()}), and the signature over its UTF-8 bytes. A verifier given checkpoints it trusts
 * (exported where the log's writer cannot change them) knows each chain held at least {@code seq} entries, the
 * last of them hashing to {@code headHash}: a log cut short after a checkpoint, or rewritten up to it, is found.
 *
 * @param writerId the chain
 * @param seq the sequence number of the head entry
 * @param headHash the head entry's {@link AuditEntry#hash()}
 * @param at when it was signed, by the writer's clock
 * @param signature the Ed25519 signature of {@link #signedContent()}, base64
 */
public record AuditCheckpoint(String writerId, long seq, String headHash, Instant at, String signature) {
    public AuditCheckpoint {
        AuditEntry.checkWriterId(writerId);
        if (seq < 1) {
            throw new IllegalArgumentException("a checkpoint's seq is at least 1");
        }
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(signature, "signature");
    }

    /** Signs the head of a chain with an Ed25519 private key. */
    public static AuditCheckpoint sign(String writerId, long seq, String headHash, Instant at, PrivateKey key) {
        String content = content(writerId, seq, headHash, at);
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(content.getBytes(StandardCharsets.UTF_8));
            return new AuditCheckpoint(
                    writerId, seq, headHash, at, Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot sign an audit checkpoint with this key (it must be an Ed25519 private key): "
                            + e.getClass().getSimpleName());
        }
    }

    /** The canonical JSON that is signed. */
    public String signedContent() {
        return content(writerId, seq, headHash, at);
    }

    private static String content(String writerId, long seq, String headHash, Instant at) {
        return Json.canonicalize(JsonObject.builder()
                .put("writer", writerId)
                .put("seq", seq)
                .put("head", headHash)
                .put("at", at.toString())
                .build());
    }

    /** Whether the signature verifies under {@code key} (an Ed25519 public key); false for any other key. */
    public boolean verifies(PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedContent().getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The checkpoint as one line of canonical JSON, as {@link CheckpointExporter#directory} writes it. */
    public String toJson() {
        return Json.canonicalize(JsonObject.builder()
                .put("writer", writerId)
                .put("seq", seq)
                .put("head", headHash)
                .put("at", at.toString())
                .put("signature", signature)
                .build());
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException if it is not a checkpoint
     */
    public static AuditCheckpoint parse(String json) {
        JsonValue v = Json.parse(json);
        if (v instanceof JsonObject o) {
            String writer = o.string("writer");
            BigDecimal seq = o.number("seq");
            String head = o.string("head");
            String at = o.string("at");
            String signature = o.string("signature");
            if (writer != null && seq != null && head != null && at != null && signature != null) {
                return new AuditCheckpoint(writer, seq.longValueExact(), head, Instant.parse(at), signature);
            }
        }
        throw new IllegalArgumentException("not an audit checkpoint");
    }
}
