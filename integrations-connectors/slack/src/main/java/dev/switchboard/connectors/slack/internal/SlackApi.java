package dev.switchboard.connectors.slack.internal;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonObject;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Builds Web API requests (path, budget key, operation name) and reads their envelopes. */
public final class SlackApi {
  /** The connector id, named in errors. */
  public static final String CONNECTOR = "slack";

  private final String team;

  public SlackApi(String team) {
    this.team = team;
  }

  public String team() {
    return team;
  }

  /**
   * Calls a read method. Returns the envelope, which is {@code ok:true} or {@code ok:false} with one
   * of {@link SlackResponseClassifier#REQUEST_ERRORS}; every other error was raised by the pipeline.
   *
   * @param channel the channel the call is about, if any
   * @param params query parameters in order
   */
  public JsonObject read(VendorHttp http, String method, @Nullable String channel, Map<String, String> params) {
    VendorRequest.Builder b = VendorRequest.get("/api/" + method).operation(method)
        .budgetKey(SlackTiers.budgetKey(team, method, channel));
    params.forEach(b::query);
    return envelope(http.execute(b.build()).json(), method);
  }

  /** Calls chat.postMessage once; the pipeline must never resend it by itself. */
  public JsonObject post(VendorHttp http, String channel, JsonObject body) {
    VendorRequest request = VendorRequest.post("/api/" + SlackTiers.POST_MESSAGE).operation(SlackTiers.POST_MESSAGE)
        .budgetKey(SlackTiers.budgetKey(team, SlackTiers.POST_MESSAGE, channel))
        .retrySafe(false)
        .jsonBody(body)
        .build();
    return envelope(http.execute(request).json(), SlackTiers.POST_MESSAGE);
  }

  /** The error code of an {@code ok:false} envelope, or null when it is ok. */
  public static @Nullable String error(JsonObject envelope) {
    return Boolean.FALSE.equals(envelope.bool("ok")) ? String.valueOf(envelope.string("error")) : null;
  }

  private static JsonObject envelope(Object json, String method) {
    if (json instanceof JsonObject o) {
      return o;
    }
    throw new PermanentException(CONNECTOR, method, "Slack answered with JSON that is not an object");
  }

  /** The next page's cursor, or null at the end ({@code response_metadata.next_cursor} is empty). */
  public static @Nullable String nextCursor(JsonObject envelope) {
    JsonObject meta = envelope.object("response_metadata");
    String next = meta == null ? null : meta.string("next_cursor");
    return next == null || next.isEmpty() ? null : next;
  }
}
