package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;

/**
 * Sends every request of the connector. The pipeline raises HubSpot's errors as
 * {@link HubSpotResponseClassifier} classed them (invalid input, throttling, the daily quota,
 * transient and permanent failures); the one HubSpot case it has no type for is mapped here: a
 * {@code MISSING_SCOPES} refusal becomes {@link ReauthorizationRequiredException}, because only a
 * new grant adds a scope.
 */
public final class HubSpotErrors {
    private HubSpotErrors() {}

    /** The answer's JSON object (empty when it has no body), or the typed error HubSpot's answer means. */
    public static JsonObject send(VendorHttp http, VendorRequest request) {
        VendorResponse response;
        try {
            response = http.execute(request);
        } catch (PermanentException e) {
            if (e.vendorCode()
                    .filter(HubSpotResponseClassifier.MISSING_SCOPES::equals)
                    .isPresent()) {
                throw new ReauthorizationRequiredException(
                        "hubspot",
                        request.operation(),
                        withoutPrefix(e) + "; authorize the connection again with those scopes",
                        e);
            }
            throw e;
        }
        return response.bodyLength() == 0 ? JsonObject.empty() : (JsonObject) response.json();
    }

    /** The pipeline's message without the "[connector operation] " the new exception adds again. */
    private static String withoutPrefix(PermanentException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = "[" + e.connector() + " " + e.operation() + "] ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
