package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.RetryAfter;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * HubSpot's answers, classified. HubSpot's error body is {@code {status, message, correlationId,
 * category}}; the category is the error code the pipeline's errors and metrics carry.
 * <ul>
 *   <li>429 with {@code policyName: DAILY}: QUOTA_EXHAUSTED until the next midnight (UTC; HubSpot
 *       resets at midnight of the portal's time zone, which a classifier cannot know, so an early
 *       retry meets the same 429 and waits again);</li>
 *   <li>any other 429 ({@code TEN_SECONDLY_ROLLING}, search's {@code SECONDLY}): THROTTLED, scoped by
 *       the policy name, waiting for {@code Retry-After} when sent, else backing off;</li>
 *   <li>401: AUTH_REJECTED (refresh once and replay);</li>
 *   <li>{@code VALIDATION_ERROR}, {@code INVALID_PARAMS}, {@code OBJECT_NOT_FOUND}, {@code CONFLICT}:
 *       INVALID_INPUT with HubSpot's message (the caller's input was wrong);</li>
 *   <li>403 {@code MISSING_SCOPES}: PERMANENT with the scopes HubSpot names in its message;
 *       {@link HubSpotErrors} turns it into "reauthorization required", since only a new grant adds
 *       a scope (a refresh does not, so it is not AUTH_REJECTED);</li>
 *   <li>408 and 500, 502, 503, 504: TRANSIENT; any other 4xx or 5xx: PERMANENT with its category.</li>
 * </ul>
 */
public final class HubSpotResponseClassifier implements ResponseClassifier {
    /** HubSpot's category for a token that lacks a scope the call needs. */
    static final String MISSING_SCOPES = "MISSING_SCOPES";

    private static final int MAX_MESSAGE = 500;

    @Override
    public ResponseClass classify(VendorResponse response, Clock clock) {
        int status = response.status();
        if (status < 400) {
            return ResponseClass.ok();
        }
        JsonObject body = response.isJson() && response.json() instanceof JsonObject o ? o : null;
        if (status == 429) {
            String policy = body == null ? null : body.string("policyName");
            if ("DAILY".equals(policy)) {
                Instant midnight = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC)
                        .plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant();
                return ResponseClass.quotaExhausted(midnight, "DAILY");
            }
            Duration wait =
                    RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
            return ResponseClass.throttled(wait, policy == null ? "HTTP_429" : policy);
        }
        String category = body == null ? null : body.string("category");
        if (body == null || category == null) {
            return ResponseClassifier.standard().classify(response, clock);
        }
        if (status == 401) {
            return ResponseClass.authRejected(category);
        }
        switch (status) {
            case 408, 500, 502, 503, 504 -> {
                Duration wait =
                        RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
                return ResponseClass.transientFailure(wait, category);
            }
            default -> {}
        }
        String message = describe(body);
        return switch (category) {
            case "VALIDATION_ERROR", "INVALID_PARAMS", "OBJECT_NOT_FOUND", "CONFLICT" ->
                ResponseClass.invalidInput(category, message);
            case MISSING_SCOPES ->
                ResponseClass.permanent(category, message + "; required scopes " + requiredScopes(body));
            default -> ResponseClass.permanent(category, message);
        };
    }

    /** HubSpot's message, bounded, with the correlation id its support asks for. */
    private static String describe(JsonObject body) {
        String message = body.string("message");
        if (message == null) {
            message = "(no message)";
        } else if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        String correlation = body.string("correlationId");
        return correlation == null ? message : message + " (correlationId " + correlation + ")";
    }

    private static List<String> requiredScopes(JsonObject body) {
        List<String> scopes = new ArrayList<>();
        JsonArray errors = body.array("errors");
        for (JsonValue e : errors == null ? JsonArray.empty() : errors) {
            JsonObject context = e instanceof JsonObject o ? o.object("context") : null;
            @Nullable JsonArray required = context == null ? null : context.array("requiredGranularScopes");
            if (required == null && context != null) {
                required = context.array("requiredScopes");
            }
            for (JsonValue s : required == null ? JsonArray.empty() : required) {
                if (s instanceof JsonString str) {
                    scopes.add(str.value());
                }
            }
        }
        return scopes;
    }
}
