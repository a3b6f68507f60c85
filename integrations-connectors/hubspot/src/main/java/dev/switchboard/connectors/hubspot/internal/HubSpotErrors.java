package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a request and turns HubSpot's error bodies ({@code {status, message, correlationId,
 * category}}, passed through by {@link HubSpotResponseClassifier}) into typed errors:
 * {@code VALIDATION_ERROR}, {@code OBJECT_NOT_FOUND} and {@code CONFLICT} are the caller's input;
 * {@code MISSING_SCOPES} needs a new grant; any other category is permanent.
 */
public final class HubSpotErrors {
  private static final int MAX_MESSAGE = 500;

  private HubSpotErrors() {}

  /** The answer's JSON object, or the typed error its body describes. */
  public static JsonObject send(VendorHttp http, VendorRequest request) {
    VendorResponse response = http.execute(request);
    if (response.status() < 400) {
      return response.bodyLength() == 0 ? JsonObject.empty() : (JsonObject) response.json();
    }
    JsonObject body = (JsonObject) response.json();
    String category = String.valueOf(body.string("category"));
    String message = trim(body.string("message"));
    String correlation = body.string("correlationId");
    String what = "HubSpot answered HTTP " + response.status() + " " + category + ": " + message
        + (correlation == null ? "" : " (correlationId " + correlation + ")");
    String op = request.operation();
    switch (category) {
      case "VALIDATION_ERROR", "OBJECT_NOT_FOUND", "CONFLICT", "INVALID_PARAMS" ->
          throw new InvalidInputException("hubspot", op, what, List.of(message), null);
      case "MISSING_SCOPES" -> throw new ReauthorizationRequiredException("hubspot", op, what
          + "; authorize the connection again with the scopes " + requiredScopes(body));
      default -> throw new PermanentException("hubspot", op, what);
    }
  }

  private static List<String> requiredScopes(JsonObject body) {
    List<String> scopes = new ArrayList<>();
    JsonArray errors = body.array("errors");
    for (JsonValue e : errors == null ? JsonArray.empty() : errors) {
      JsonObject context = e instanceof JsonObject o ? o.object("context") : null;
      JsonArray required = context == null ? null : context.array("requiredGranularScopes");
      if (required == null && context != null) {
        required = context.array("requiredScopes");
      }
      for (JsonValue s : required == null ? JsonArray.empty() : required) {
        if (s instanceof dev.switchboard.core.json.JsonString str) {
          scopes.add(str.value());
        }
      }
    }
    return scopes;
  }

  private static String trim(@org.jspecify.annotations.Nullable String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message;
  }
}
