package dev.switchboard.core.http;

/**
 * The resilient HTTP pipeline as a connector sees it, bound to one connection and one call. For
 * each request it applies, per attempt, the rate budget, the circuit breaker and the credential,
 * classifies the answer, replays once after a refreshed credential, retries what is safe to retry,
 * and records metrics. Thread-safe.
 */
public interface VendorHttp {
    /**
     * Sends the request and returns a response classified {@link ResponseClass.Kind#OK}.
     *
     * @throws dev.switchboard.core.error.SwitchboardException for every other outcome, typed by class
     */
    VendorResponse execute(VendorRequest request);

    /** The connection's base URL, against which relative request paths resolve. */
    String baseUrl();
}
