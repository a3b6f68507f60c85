package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.model.Drift;
import org.junit.jupiter.api.Test;

/** Which permanent errors the connector narrows, as the pipeline throws them. */
class SalesforceErrorsTest {
    private static PermanentException permanent(int status, String code, String message) {
        return new PermanentException(
                "salesforce",
                "query Case",
                "the vendor refused the request: HTTP " + status + " " + code + ": " + message,
                status,
                code);
    }

    @Test
    void aRemovedColumnBecomesRemovedDrift() {
        PermanentException e = permanent(400, "INVALID_FIELD", "No such column 'Priority' on entity 'Case'.");

        SwitchboardException refined = SalesforceErrors.refine(e, "read Case");

        assertThat(refined).isInstanceOf(SchemaDriftException.class).hasCause(e);
        assertThat(((SchemaDriftException) refined).drifts())
                .extracting(Drift::field, Drift::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Priority", Drift.Kind.REMOVED));
        assertThat(refined.operation()).isEqualTo("read Case");
    }

    @Test
    void otherPermanentErrorsStayAsThePipelineThrewThem() {
        PermanentException malformed = permanent(400, "MALFORMED_QUERY", "No such column 'x' quoted in a query error");
        assertThat(SalesforceErrors.refine(malformed, "read Case")).isSameAs(malformed);
        PermanentException otherInvalidField = permanent(400, "INVALID_FIELD", "something else about a field");
        assertThat(SalesforceErrors.refine(otherInvalidField, "read Case")).isSameAs(otherInvalidField);
        PermanentException noVendor =
                new PermanentException("salesforce", "query Case", "an answer over the size bound");
        assertThat(SalesforceErrors.refine(noVendor, "read Case")).isSameAs(noVendor);
    }
}
