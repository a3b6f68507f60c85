package dev.switchboard.core.connector;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * What core asks a connector to do, after the input was validated against the action's schema,
 * access was authorized and consent given (or, for a dry run, before consent: nothing is written).
 *
 * @param action the action
 * @param input the validated input
 * @param http the HTTP pipeline bound to this call's credential and trace
 * @param credentials the call's credential, for a connector that applies it itself
 * @param context who acts: for a source that enforces its own row-level access with the principal
 */
public record ActionCall(
        ActionDescriptor action, JsonObject input, VendorHttp http, CallCredentials credentials, AgentContext context) {
    public ActionCall {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(context, "context");
    }
}
