package dev.switchboard.core.connector;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.http.VendorHttp;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What core asks a connector to read.
 *
 * @param stream the stream, its schema the connection's contract for it (the connector's declared
 *     schema unless the connection pins another): read every field it lists, the org's own included
 * @param request the caller's request (fields, filter, page size); its fields, when it names any, are
 *     all in the contract (core checked)
 * @param resumeAfter where to resume, or null to start at the beginning
 * @param http the HTTP pipeline bound to this call's credential and trace
 */
public record StreamCall(
        StreamDescriptor stream,
        ReadRequest request,
        @Nullable CursorPosition resumeAfter,
        VendorHttp http) {
    public StreamCall {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(http, "http");
    }
}
