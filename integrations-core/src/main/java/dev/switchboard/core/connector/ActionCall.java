package dev.switchboard.core.connector;

import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonObject;
import java.util.Objects;

/**
 * What core asks a connector to do, after the input was validated against the action's schema,
 * access was authorized and consent given.
 *
 * @param action the action
 * @param input the validated input
 * @param http the HTTP pipeline bound to this call's credential and trace
 */
public record ActionCall(ActionDescriptor action, JsonObject input, VendorHttp http) {
    public ActionCall {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(http, "http");
    }
}
