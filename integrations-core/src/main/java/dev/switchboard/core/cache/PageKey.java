package dev.switchboard.core.cache;

import java.util.Objects;

/**
 * Which raw page a read asks for: the connection, the credential it reads with (so principals of a
 * {@code PER_PRINCIPAL} connection never share pages), the stream, a digest of the request (fields,
 * filter, page size), the checkpoint the read started from, and the page's number within that read.
 *
 * @param connection the connection id
 * @param credentialKey the credential key the read uses (empty for a connector without credentials), followed
 *     by a digest of the principal for a connector whose reads depend on who reads
 *     ({@code Connector.readsDependOnPrincipal()})
 * @param stream the stream
 * @param requestDigest the canonical digest of the request's fields, filter and page size
 * @param checkpoint the value of the checkpoint the read resumed from (the start of the stream when it resumed from none)
 * @param page the page's number in the read, from 0
 */
public record PageKey(
        String connection, String credentialKey, String stream, String requestDigest, String checkpoint, int page) {
    public PageKey {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(credentialKey, "credentialKey");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(requestDigest, "requestDigest");
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (page < 0) {
            throw new IllegalArgumentException("page numbers start at 0");
        }
    }
}
