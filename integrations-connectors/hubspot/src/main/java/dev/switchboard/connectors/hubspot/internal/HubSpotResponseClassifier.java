package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.RetryAfter;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * HubSpot's answers, classified:
 * <ul>
 *   <li>429 with {@code policyName: DAILY}: QUOTA_EXHAUSTED until the next midnight (UTC; HubSpot
 *       resets at midnight of the portal's time zone, which a classifier cannot know, so an early
 *       retry meets the same 429 and waits again);</li>
 *   <li>any other 429 ({@code TEN_SECONDLY_ROLLING}, search's {@code SECONDLY}): THROTTLED, scoped by
 *       the policy name, waiting for {@code Retry-After} when sent, else backing off;</li>
 *   <li>a 4xx other than 401, 408 and 429 carrying HubSpot's error body with a {@code category}
 *       ({@code VALIDATION_ERROR}, {@code OBJECT_NOT_FOUND}, {@code MISSING_SCOPES}, ...): OK, so the
 *       connector reads the category and raises the typed error ({@link HubSpotErrors}); the pipeline
 *       only knows "permanent" for these, and would lose the category;</li>
 *   <li>everything else as {@link ResponseClassifier#standard()} says (401 AUTH_REJECTED, 5xx TRANSIENT).</li>
 * </ul>
 */
public final class HubSpotResponseClassifier implements ResponseClassifier {
  @Override
  public ResponseClass classify(VendorResponse response, Clock clock) {
    int status = response.status();
    if (status == 429) {
      String policy = response.isJson() && response.json() instanceof JsonObject body ? body.string("policyName") : null;
      if ("DAILY".equals(policy)) {
        Instant midnight = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return ResponseClass.quotaExhausted(midnight, "DAILY");
      }
      Duration wait = RetryAfter.parse(response.header("Retry-After"), clock).orElse(null);
      return ResponseClass.throttled(wait, policy == null ? "HTTP_429" : policy);
    }
    if (status >= 400 && status < 500 && status != 401 && status != 408 && response.isJson()
        && response.json() instanceof JsonObject body && body.string("category") != null) {
      return ResponseClass.ok();
    }
    return ResponseClassifier.standard().classify(response, clock);
  }
}
