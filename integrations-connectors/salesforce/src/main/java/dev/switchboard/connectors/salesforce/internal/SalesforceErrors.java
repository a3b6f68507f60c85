package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.model.Drift;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Raises the typed error for the request errors {@link SalesforceClassifier} hands to the
 * connector: a field the query names that no longer exists is breaking schema drift (the field was
 * removed upstream); an unknown record, a malformed id or a value the org's validation refuses is the
 * caller's input to fix.
 */
public final class SalesforceErrors {
  private static final Pattern NO_SUCH_COLUMN = Pattern.compile("No such column '([^']{1,80})'");

  private SalesforceErrors() {}

  /** Throws when the response is an error; returns it unchanged when it is a success. */
  public static VendorResponse check(VendorResponse response, String connector, String operation) {
    if (response.status() < 400) {
      return response;
    }
    SalesforceError e = SalesforceError.of(response).orElse(null);
    if (e == null) {
      throw new PermanentException(connector, operation, "Salesforce answered HTTP " + response.status());
    }
    throw toException(e, response.status(), connector, operation);
  }

  static SwitchboardException toException(SalesforceError e, int status, String connector, String operation) {
    return switch (e.errorCode()) {
      case "INVALID_FIELD" -> {
        String field = removedField(e);
        if (field == null) { // e.g. an external id not found: the values are wrong, not the schema
          yield new InvalidInputException(connector, operation, "Salesforce refused the values (" + e + ")", e.fields(), null);
        }
        yield new SchemaDriftException(connector, operation, "Salesforce no longer knows field '" + field
            + "' (" + e.errorCode() + "): it was removed or hidden from this user; the stream's contract is broken",
            List.of(new Drift(field, Drift.Kind.REMOVED, null, null)));
      }
      case "NOT_FOUND", "MALFORMED_ID", "ENTITY_IS_DELETED" -> new InvalidInputException(connector, operation,
          "Salesforce has no such record (" + e + ")");
      default -> status == 400 || status == 404
          ? new InvalidInputException(connector, operation, "Salesforce refused the values (" + e + ")", e.fields(), null)
          : new PermanentException(connector, operation, "Salesforce refused the request: HTTP " + status + " " + e);
    };
  }

  /** The field a "No such column" error names, or null when the error is about something else. */
  private static @Nullable String removedField(SalesforceError e) {
    Matcher m = NO_SUCH_COLUMN.matcher(e.message());
    return m.find() ? m.group(1) : null;
  }
}
