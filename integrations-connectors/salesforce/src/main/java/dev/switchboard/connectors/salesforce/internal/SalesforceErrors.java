package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.model.Drift;
import java.util.List;
import java.util.Objects;

/**
 * Sends requests and narrows the errors only the connector can name: a field the request names that
 * no longer exists ({@link SalesforceClassifier} reports 400 {@code INVALID_FIELD} "No such column
 * 'X'" as PERMANENT with that code) is breaking schema drift, the field removed upstream. Every other
 * error is already the right type when the pipeline throws it.
 */
public final class SalesforceErrors {
    private SalesforceErrors() {}

    /** Sends the request through the pipeline; a removed field comes back as {@link SchemaDriftException}. */
    public static VendorResponse execute(VendorHttp http, VendorRequest request, String operation) {
        try {
            return http.execute(request);
        } catch (PermanentException e) {
            throw refine(e, operation);
        }
    }

    /** The precise error for a permanent one, or the permanent one itself. */
    static SwitchboardException refine(PermanentException e, String operation) {
        if (!e.vendorCode().filter("INVALID_FIELD"::equals).isPresent()) {
            return e;
        }
        String field = SalesforceError.removedField(
                Objects.requireNonNull(e.getMessage(), "a SwitchboardException always has a message"));
        if (field == null) {
            return e;
        }
        return new SchemaDriftException(
                SalesforceRecords.CONNECTOR,
                operation,
                "Salesforce no longer knows field '" + field
                        + "' (INVALID_FIELD, HTTP " + e.status().orElse(400)
                        + "): it was removed or hidden from this user;"
                        + " the stream's contract is broken",
                List.of(new Drift(field, Drift.Kind.REMOVED, null, null)),
                e);
    }
}
