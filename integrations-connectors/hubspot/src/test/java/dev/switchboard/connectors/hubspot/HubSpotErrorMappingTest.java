package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.QuotaExhaustedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import io.micrometer.core.instrument.Timer;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * HubSpot's error answers, classified by the pipeline: the typed error, HubSpot's words in it, and
 * the pipeline's request metrics with HubSpot's real status and the outcome it was classed as.
 */
class HubSpotErrorMappingTest extends VirtualHubSpotTest {
    private void run(String action, String input) {
        execute(action, input);
    }

    /** How many requests the pipeline timed with this status and outcome. */
    private long requests(String status, String outcome) {
        Timer timer = hub.meters
                .find("switchboard.http.requests")
                .tags("connector", "hubspot", "status", status, "outcome", outcome)
                .timer();
        return timer == null ? 0 : timer.count();
    }

    @Test
    void aValidationErrorIsTheCallersInputWithHubSpotsStatusInTheMetrics() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> run(
                        "update_ticket",
                        "{\"ticketId\":\"1075966440\",\"properties\":{\"hs_ticket_priority\":\"EXTREME\"}}"));

        assertThat(e.getMessage())
                .contains("HTTP 400 VALIDATION_ERROR", "EXTREME was not one of the allowed options", "correlationId");
        assertThat(requests("400", "INVALID_INPUT")).isEqualTo(1);
        assertThat(requests("400", "OK"))
                .as("no error answer is counted as a success")
                .isZero();
        assertThat(FAKE.requestCount(r -> r.method().equals("PATCH")))
                .as("not retried")
                .isEqualTo(1);
    }

    @Test
    void anObjectNotFoundIsTheCallersInput() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> run("update_ticket", "{\"ticketId\":\"999\",\"properties\":{\"subject\":\"x\"}}"));

        assertThat(e.getMessage()).contains("HTTP 404 OBJECT_NOT_FOUND");
        assertThat(requests("404", "INVALID_INPUT")).isEqualTo(1);
        assertThat(requests("404", "OK")).isZero();
    }

    @Test
    void aMissingScopeNeedsANewGrantNamingTheScopeAndIsNotReplayed() {
        FAKE.withholdScope("tickets");

        ReauthorizationRequiredException e = catchThrowableOfType(
                ReauthorizationRequiredException.class, () -> hub.readAll(ReadRequest.of("tickets")));

        assertThat(e.getMessage())
                .contains("MISSING_SCOPES", "required scopes [tickets]", "authorize the connection again");
        assertThat(e.getCause()).isInstanceOf(PermanentException.class);
        assertThat(requests("403", "PERMANENT")).isEqualTo(1);
        assertThat(requests("403", "OK")).isZero();
        // The read opens with the tickets' property definitions (the drift check), under the same scope.
        assertThat(FAKE.requestCount("/crm/v3/properties/tickets"))
                .as("no refresh and replay: a refresh adds no scope")
                .isEqualTo(1);
        assertThat(FAKE.requestCount("/crm/v3/objects/tickets/search")).isZero();
    }

    @Test
    void anUnknownCategoryIsPermanentAndKeepsHubSpotsStatusAndCode() {
        FAKE.faults().serverErrors(1, 418);

        PermanentException e =
                catchThrowableOfType(PermanentException.class, () -> hub.readAll(ReadRequest.of("owners")));

        assertThat(e.status()).isEqualTo(OptionalInt.of(418));
        assertThat(e.vendorCode()).contains("INTERNAL_ERROR");
        assertThat(requests("418", "PERMANENT")).isEqualTo(1);
        assertThat(requests("418", "OK")).isZero();
    }

    @Test
    void theDailyLimitIsCountedAsAQuota() {
        FAKE.dailyLimit(0);

        catchThrowableOfType(QuotaExhaustedException.class, () -> hub.readAll(ReadRequest.of("owners")));

        assertThat(requests("429", "QUOTA_EXHAUSTED")).isEqualTo(1);
    }
}
