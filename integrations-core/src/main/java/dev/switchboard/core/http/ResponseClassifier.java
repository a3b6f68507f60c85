package dev.switchboard.core.http;

import java.time.Clock;
import java.time.Duration;

/**
 * Turns a vendor's answer into a {@link ResponseClass}. A connector supplies its own where the
 * status code lies (Slack's {@code ok:false} in a 200, Salesforce's throttling 403), usually by
 * deciding its special cases and delegating the rest to {@link #standard()}.
 */
@FunctionalInterface
public interface ResponseClassifier {
    /**
     * @param response the whole response
     * @param clock the injected clock, for HTTP-date waits
     */
    ResponseClass classify(VendorResponse response, Clock clock);

    /**
     * Status codes as RFC 9110 means them: 2xx and 3xx OK; 401 AUTH_REJECTED; 429 THROTTLED with
     * {@code Retry-After} (seconds or HTTP-date); 408, 500, 502, 503, 504 TRANSIENT (503 with its
     * {@code Retry-After}); any other 4xx or 5xx PERMANENT.
     */
    static ResponseClassifier standard() {
        return StandardClassifier.INSTANCE;
    }
}

final class StandardClassifier implements ResponseClassifier {
    static final StandardClassifier INSTANCE = new StandardClassifier();

    @Override
    public ResponseClass classify(VendorResponse response, Clock clock) {
        int status = response.status();
        if (status < 400) {
            return ResponseClass.ok();
        }
        Duration wait = RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
        return switch (status) {
            case 401 -> ResponseClass.authRejected("HTTP_401");
            case 429 -> ResponseClass.throttled(wait, "HTTP_429");
            case 408, 500, 502, 503, 504 -> ResponseClass.transientFailure(wait, "HTTP_" + status);
            default -> ResponseClass.permanent("HTTP_" + status, null);
        };
    }
}
