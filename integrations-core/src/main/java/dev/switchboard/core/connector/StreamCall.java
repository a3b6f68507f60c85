package dev.switchboard.core.connector;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.governance.RowScope;
import dev.switchboard.core.http.VendorHttp;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What core asks a connector to read.
 *
 * @param stream the stream, its schema the connection's contract for it (the connector's declared
 *     schema unless the connection pins another): read every field it lists, the org's own included
 * @param request the caller's request (fields, filter, page size); its fields, when it names any, are
 *     all in the contract (core checked)
 * @param resumeFrom the positions to resume after, per partition ({@link Position#SINGLE} for a stream of
 *     one partition); empty to read from the beginning. A partition absent from the map is read from its
 *     beginning
 * @param http the HTTP pipeline bound to this call's credential and trace
 * @param credentials the call's credential, for a connector that applies it itself
 * @param context who reads (the caller's context; a change feed's poller for a feed's reads): for a source
 *     that enforces its own row-level access with the principal (a database's row filter or policies); a
 *     connector that uses it declares {@link Connector#readsDependOnPrincipal()}
 * @param rowScope which records the access policy will keep for that principal by their ACL: a connector
 *     whose source can filter that way may narrow its query to them (push-down; it then declares {@link
 *     Connector#readsDependOnPrincipal()}). Only a hint: core filters every record through the policy
 *     afterwards, so ignoring it is always correct
 */
public record StreamCall(
        StreamDescriptor stream,
        ReadRequest request,
        Map<String, Position> resumeFrom,
        VendorHttp http,
        CallCredentials credentials,
        AgentContext context,
        RowScope rowScope) {
    public StreamCall {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(request, "request");
        resumeFrom = Map.copyOf(resumeFrom);
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(rowScope, "rowScope");
    }

    /** A call without a row scope (unrestricted), as calls were before push-down. */
    public StreamCall(
            StreamDescriptor stream,
            ReadRequest request,
            Map<String, Position> resumeFrom,
            VendorHttp http,
            CallCredentials credentials,
            AgentContext context) {
        this(stream, request, resumeFrom, http, credentials, context, RowScope.unrestricted());
    }

    /** This call, resuming from {@code positions} instead. */
    public StreamCall resumingFrom(Map<String, Position> positions) {
        return new StreamCall(stream, request, positions, http, credentials, context, rowScope);
    }

    /** Where to resume a stream of one partition: the position of {@link Position#SINGLE}, or null to start. */
    public @Nullable Position resumeAfter() {
        return resumeFrom.get(Position.SINGLE);
    }

    /** Where to resume {@code partition}, or null to read it from its beginning. */
    public @Nullable Position resumeAfter(String partition) {
        return resumeFrom.get(partition);
    }
}
