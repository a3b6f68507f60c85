package dev.switchboard.connectors.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classifier on answers shaped as Salesforce documents them. */
class SalesforceClassifierTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC);
    private final SalesforceClassifier classifier = new SalesforceClassifier();

    static VendorResponse response(int status, String body, String limitInfo) {
        return response("/services/data/v62.0/query", status, body, limitInfo);
    }

    static VendorResponse response(String path, int status, String body, String limitInfo) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json;charset=UTF-8"));
        if (limitInfo != null) {
            headers.put("sforce-limit-info", List.of(limitInfo));
        }
        return new VendorResponse(
                "salesforce",
                VendorRequest.get(path).build(),
                "https://example.my.salesforce.com" + path,
                status,
                headers,
                body.getBytes(StandardCharsets.UTF_8));
    }

    private ResponseClass classify(int status, String body) {
        return classifier.classify(response(status, body, "api-usage=10018/100000"), CLOCK);
    }

    @Test
    void anExpiredSessionIsAuthRejected() {
        ResponseClass c =
                classify(401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.AUTH_REJECTED);
        assertThat(c.errorCode()).isEqualTo("INVALID_SESSION_ID");
    }

    @Test
    void theDailyAllowanceSpentIsQuotaExhaustedForAnHour() {
        ResponseClass c = classify(
                403, "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.QUOTA_EXHAUSTED);
        assertThat(c.until()).isEqualTo(Instant.parse("2026-06-01T10:00:00Z"));

        ResponseClass byHeader = classifier.classify(
                response(
                        403,
                        "[{\"message\":\"Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]",
                        "api-usage=100000/100000"),
                CLOCK);
        assertThat(byHeader.kind()).isEqualTo(ResponseClass.Kind.QUOTA_EXHAUSTED);
    }

    @Test
    void theConcurrentRequestLimitIsThrottled() {
        ResponseClass c = classify(
                403,
                "[{\"message\":\"ConcurrentPerOrgLongTxn Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.THROTTLED);
    }

    @Test
    void theCallersBadValuesAreInvalidInputNamingTheirFields() {
        ResponseClass picklist = classify(
                400,
                "[{\"message\":\"Status: bad value for restricted picklist field: Bogus\","
                        + "\"errorCode\":\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\",\"fields\":[\"Status\"]}]");
        assertThat(picklist.kind()).isEqualTo(ResponseClass.Kind.INVALID_INPUT);
        assertThat(picklist.errorCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(picklist.message()).isEqualTo("Status: bad value for restricted picklist field: Bogus [Status]");

        ResponseClass missing =
                classify(404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
        assertThat(missing.kind()).isEqualTo(ResponseClass.Kind.INVALID_INPUT);
        assertThat(missing.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(classify(
                                400,
                                "[{\"errorCode\":\"MALFORMED_ID\",\"message\":\"Case ID: id value of incorrect type\"}]")
                        .kind())
                .isEqualTo(ResponseClass.Kind.INVALID_INPUT);
        // INVALID_FIELD about a value (an external id not found), not about a column: the values are wrong.
        assertThat(classify(
                                400,
                                "[{\"errorCode\":\"INVALID_FIELD\",\"message\":\"Foreign key external ID: 0116 not found\"}]")
                        .kind())
                .isEqualTo(ResponseClass.Kind.INVALID_INPUT);
    }

    @Test
    void aRemovedColumnIsPermanentWithTheVendorsCodeForTheConnectorToCallDrift() {
        ResponseClass c = classify(
                400, "[{\"message\":\"No such column 'Foo' on entity 'Case'.\",\"errorCode\":\"INVALID_FIELD\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.PERMANENT);
        assertThat(c.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(c.message()).isEqualTo("No such column 'Foo' on entity 'Case'.");
    }

    @Test
    void aDescribe404IsPermanentNotTheCallersInput() {
        ResponseClass c = classifier.classify(
                response(
                        "/services/data/v62.0/sobjects/Opportunity/describe",
                        404,
                        "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]",
                        null),
                CLOCK);
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.PERMANENT);
        assertThat(c.errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void otherRequestErrorsArePermanentWithTheVendorsCode() {
        ResponseClass c = classify(400, "[{\"message\":\"unexpected token: FORM\",\"errorCode\":\"MALFORMED_QUERY\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.PERMANENT);
        assertThat(c.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(c.message()).isEqualTo("unexpected token: FORM");
    }

    @Test
    void serverErrorsAndNonJsonBodiesFallBackToTheStandardClassifier() {
        assertThat(classify(503, "[{\"message\":\"Server unavailable\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]")
                        .kind())
                .isEqualTo(ResponseClass.Kind.TRANSIENT);
        assertThat(classify(502, "<html>Bad gateway</html>").kind()).isEqualTo(ResponseClass.Kind.TRANSIENT);
        assertThat(classify(200, "{\"done\":true}").kind()).isEqualTo(ResponseClass.Kind.OK);
    }

    @Test
    void aQueryTimeoutIsTransient() {
        ResponseClass c = classify(
                400,
                "[{\"message\":\"Your query request was running for too long.\",\"errorCode\":\"QUERY_TIMEOUT\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.TRANSIENT);
        assertThat(c.errorCode()).isEqualTo("QUERY_TIMEOUT");
    }

    @Test
    void aLockedRowIsThrottledSoEveryRequestWaitsAndIsSentAgain() {
        ResponseClass c = classify(
                400,
                "[{\"message\":\"unable to obtain exclusive access to this record or 1 records:"
                        + " 500RO0000000014AAA\",\"errorCode\":\"UNABLE_TO_LOCK_ROW\",\"fields\":[]}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.THROTTLED);
        assertThat(c.scope()).isEqualTo("UNABLE_TO_LOCK_ROW");
    }

    @Test
    void aFailedPreconditionIsPermanentWithItsOwnCodeWhateverTheBody() {
        assertThat(classify(412, "").errorCode()).isEqualTo("PRECONDITION_FAILED");
        ResponseClass c = classify(412, "[{\"message\":\"x\",\"errorCode\":\"NOT_FOUND\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.PERMANENT);
        assertThat(c.errorCode()).isEqualTo("PRECONDITION_FAILED");
    }

    @Test
    void anExpiredQueryLocatorIsPermanentWithItsCodeForTheReaderToRestart() {
        ResponseClass c =
                classify(400, "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]");
        assertThat(c.kind()).isEqualTo(ResponseClass.Kind.PERMANENT);
        assertThat(c.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
    }
}
