package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.VendorResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Salesforce's answers, where the status code alone misleads:
 * <ul>
 *   <li>403 {@code REQUEST_LIMIT_EXCEEDED} is both the daily allowance being spent ("TotalRequests
 *       Limit exceeded", or a {@code Sforce-Limit-Info} at its maximum): QUOTA_EXHAUSTED; and the
 *       concurrent long-running request limit ("ConcurrentPerOrgLongTxn Limit exceeded"): THROTTLED.</li>
 *   <li>401 {@code INVALID_SESSION_ID}: the access token expired (Salesforce sends no expiry, so
 *       this is how a refresh is triggered): AUTH_REJECTED.</li>
 *   <li>400/404 errors about the caller's values ({@link #INPUT_ERRORS}: an unknown or deleted record,
 *       a malformed id, a value the org's validation refuses): INVALID_INPUT, with the fields the
 *       error names in the message.</li>
 *   <li>400 {@code INVALID_FIELD} "No such column 'X'": PERMANENT with the vendor's code; the
 *       connector turns it into schema drift ({@link SalesforceErrors}).</li>
 *   <li>404 on a describe: the object is not available to this user, PERMANENT.</li>
 *   <li>400 {@code QUERY_TIMEOUT} ("Your query request was running for too long."): TRANSIENT, so the
 *       query is sent again; the same query often finishes once Salesforce's caches are warm.</li>
 *   <li>400 {@code UNABLE_TO_LOCK_ROW}: another transaction holds the record. Salesforce rolled the
 *       request back, so it is THROTTLED (scope {@code UNABLE_TO_LOCK_ROW}): waited out and sent again
 *       for every request, a create included, where TRANSIENT would turn a create's refusal into "outcome
 *       unknown"; being told to wait is no vendor failure for the breaker.</li>
 *   <li>412 (a conditional request's {@code If-Unmodified-Since} failed: the record changed since):
 *       PERMANENT with code {@value #PRECONDITION_FAILED}, whatever the body, for the action to decide.</li>
 *   <li>{@code MALFORMED_QUERY} and other 4xx: PERMANENT with the vendor's code and message.</li>
 * </ul>
 * Everything else is {@link ResponseClassifier#standard()}.
 */
public final class SalesforceClassifier implements ResponseClassifier {
    /** The rolling 24-hour window frees capacity gradually; look again after this long. */
    public static final Duration DAILY_QUOTA_RECHECK = Duration.ofHours(1);
    /** The code a 412 answer is classified with. */
    public static final String PRECONDITION_FAILED = "PRECONDITION_FAILED";

    /** Request errors that mean the caller's values are wrong: fix them and call again. */
    static final Set<String> INPUT_ERRORS = Set.of(
            "INVALID_FIELD",
            "NOT_FOUND",
            "MALFORMED_ID",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "REQUIRED_FIELD_MISSING",
            "INVALID_CROSS_REFERENCE_KEY",
            "STRING_TOO_LONG",
            "FIELD_INTEGRITY_EXCEPTION",
            "ENTITY_IS_DELETED",
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "INVALID_TYPE_ON_FIELD_IN_RECORD");

    @Override
    public ResponseClass classify(VendorResponse response, Clock clock) {
        int status = response.status();
        if (status < 400) {
            return ResponseClass.ok();
        }
        if (status == 412) {
            // Salesforce documents the status only; the body is not relied on.
            return ResponseClass.permanent(
                    PRECONDITION_FAILED, "the record changed since the version the request names");
        }
        Optional<SalesforceError> error = SalesforceError.of(response);
        if (error.isEmpty()) {
            return ResponseClassifier.standard().classify(response, clock);
        }
        SalesforceError e = error.get();
        String code = e.errorCode();
        if (status == 401 || code.equals("INVALID_SESSION_ID")) {
            return ResponseClass.authRejected(code);
        }
        if (code.equals("REQUEST_LIMIT_EXCEEDED")) {
            boolean dailySpent = e.message().contains("TotalRequests")
                    || SalesforceLimitInfo.of(response)
                            .map(SalesforceLimitInfo::exhausted)
                            .orElse(false);
            return dailySpent
                    ? ResponseClass.quotaExhausted(clock.instant().plus(DAILY_QUOTA_RECHECK), "DailyApiRequests")
                    : ResponseClass.throttled(null, "REQUEST_LIMIT_EXCEEDED");
        }
        if (status >= 500) {
            return ResponseClassifier.standard().classify(response, clock);
        }
        if (code.equals("QUERY_TIMEOUT")) {
            return ResponseClass.transientFailure(null, code);
        }
        if (code.equals("UNABLE_TO_LOCK_ROW")) {
            return ResponseClass.throttled(null, code);
        }
        if ((status == 400 || status == 404)
                && INPUT_ERRORS.contains(code)
                && e.removedField() == null
                && !isDescribe(response)) {
            return ResponseClass.invalidInput(code, e.messageWithFields());
        }
        return ResponseClass.permanent(code, e.message());
    }

    /** A describe names an object, not a record: its 404 says the object is hidden from this user. */
    private static boolean isDescribe(VendorResponse response) {
        return response.request().url().endsWith("/describe");
    }
}
