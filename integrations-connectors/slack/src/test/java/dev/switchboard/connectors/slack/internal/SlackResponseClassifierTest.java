package dev.switchboard.connectors.slack.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClass.Kind;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slack's error codes and statuses, each to its class. */
class SlackResponseClassifierTest {
    private final SlackResponseClassifier classifier = new SlackResponseClassifier();
    private final Clock clock = Clock.fixed(Instant.parse("2026-06-01T09:00:00Z"), ZoneOffset.UTC);

    private ResponseClass classify(int status, String body, Map<String, String> headers) {
        return classify(
                VendorRequest.get("/api/conversations.history")
                        .operation("conversations.history")
                        .build(),
                status,
                body,
                headers);
    }

    private ResponseClass classify(VendorRequest request, int status, String body, Map<String, String> headers) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("content-type", List.of("application/json; charset=utf-8"));
        headers.forEach((k, v) -> h.put(k.toLowerCase(), List.of(v)));
        return classifier.classify(
                new VendorResponse(
                        "slack",
                        request,
                        "https://slack.com" + request.url(),
                        status,
                        h,
                        body.getBytes(StandardCharsets.UTF_8)),
                clock);
    }

    @ParameterizedTest
    @CsvSource({
        "invalid_auth, AUTH_REJECTED",
        "not_authed, AUTH_REJECTED",
        "token_expired, AUTH_REJECTED",
        "token_revoked, AUTH_REJECTED",
        "account_inactive, AUTH_REJECTED",
        "ratelimited, THROTTLED",
        "internal_error, TRANSIENT",
        "fatal_error, TRANSIENT",
        "service_unavailable, TRANSIENT",
        "request_timeout, TRANSIENT",
        // On a read, the arguments are the connector's: the reader maps these by their vendor code.
        "channel_not_found, PERMANENT",
        "not_in_channel, PERMANENT",
        "thread_not_found, PERMANENT",
        "invalid_cursor, PERMANENT",
        "missing_scope, PERMANENT",
        "invalid_arguments, PERMANENT",
        "some_new_error, PERMANENT"
    })
    void okFalseInA200IsClassifiedByItsCode(String error, Kind kind) {
        ResponseClass cls = classify(200, "{\"ok\":false,\"error\":\"" + error + "\"}", Map.of());
        assertThat(cls.kind()).isEqualTo(kind);
        if (kind == Kind.PERMANENT || kind == Kind.AUTH_REJECTED || kind == Kind.TRANSIENT) {
            assertThat(cls.errorCode()).isEqualTo(error);
        }
    }

    /** On a post, the channel, thread and text are the caller's: fix them and call again. */
    @ParameterizedTest
    @CsvSource({
        "channel_not_found, INVALID_INPUT",
        "not_in_channel, INVALID_INPUT",
        "is_archived, INVALID_INPUT",
        "msg_too_long, INVALID_INPUT",
        "no_text, INVALID_INPUT",
        "invalid_arguments, INVALID_INPUT",
        "thread_not_found, INVALID_INPUT",
        "invalid_blocks, INVALID_INPUT",
        "internal_error, TRANSIENT",
        "missing_scope, PERMANENT",
        "invalid_auth, AUTH_REJECTED"
    })
    void argumentErrorsOfAPostAreTheCallersInput(String error, Kind kind) {
        VendorRequest post = VendorRequest.post("/api/chat.postMessage")
                .operation("chat.postMessage")
                .retrySafe(false)
                .jsonBody(dev.switchboard.core.json.JsonObject.builder()
                        .put("channel", "C1")
                        .build())
                .build();

        ResponseClass cls = classify(post, 200, "{\"ok\":false,\"error\":\"" + error + "\"}", Map.of());

        assertThat(cls.kind()).isEqualTo(kind);
        assertThat(cls.errorCode()).isEqualTo(error);
        if (kind == Kind.INVALID_INPUT) {
            assertThat(cls.message()).isNotBlank();
        }
    }

    @Test
    void http429WaitsForItsRetryAfterInSeconds() {
        ResponseClass cls = classify(429, "{\"ok\":false,\"error\":\"ratelimited\"}", Map.of("Retry-After", "30"));
        assertThat(cls.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(cls.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cls.scope()).isEqualTo("slack:conversations.history");
    }

    @Test
    void okTrueAndOtherStatusesFollowTheStandard() {
        assertThat(classify(200, "{\"ok\":true,\"messages\":[]}", Map.of()).kind())
                .isEqualTo(Kind.OK);
        assertThat(classify(503, "{\"ok\":false,\"error\":\"service_unavailable\"}", Map.of())
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(classify(500, "<html>oops</html>", Map.of("Content-Type", "text/html"))
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(classify(404, "{\"ok\":false,\"error\":\"unknown_method\"}", Map.of())
                        .kind())
                .isEqualTo(Kind.PERMANENT);
    }

    @Test
    void missingScopeNamesTheScopeNeededButNoToken() {
        ResponseClass cls = classify(
                200,
                "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"channels:history\","
                        + "\"provided\":\"users:read\"}",
                Map.of());
        assertThat(cls.message()).isEqualTo("needs scope channels:history");
    }
}
