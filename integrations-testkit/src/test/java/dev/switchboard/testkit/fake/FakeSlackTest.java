package dev.switchboard.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.VendorSamples;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FakeSlack answers with the shapes of Slack's real (masked superset) samples: every envelope key
 * and every field of the records it serves exists in the sample with the same JSON type, so the
 * fake cannot drift into a world of its own. Then its behaviour: paging, state, errors, limits.
 */
class FakeSlackTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private final HttpClient client = HttpClient.newHttpClient();

    // ---- shapes ----

    @Test
    void conversationsListHasTheSampleShape() {
        JsonObject page = get("conversations.list", Map.of("types", "public_channel,private_channel"));
        assertSameShape(page, sample("javasdk_sample_conversations.list.json"), "channels");
        assertThat(page.array("channels")).hasSize(3); // the private channel the bot is not in stays invisible
    }

    @Test
    void conversationsInfoHasTheSampleShape() {
        JsonObject info = get("conversations.info", Map.of("channel", FakeSlack.PRIVATE));
        JsonObject sample = sample("javasdk_sample_conversations.info.json");
        assertThat(problems("", info, sample)).isEmpty();
        assertThat(info.object("channel").bool("is_private")).isTrue();
    }

    @Test
    void historyHasTheSampleShapeForPlainThreadedEditedAndMarkedMessages() {
        post(Map.of(
                "channel",
                FakeSlack.GENERAL,
                "text",
                "marked",
                "metadata",
                "{\"event_type\":\"switchboard_post\",\"event_payload\":{\"key\":\"k1\"}}"));
        JsonObject history = get("conversations.history", Map.of("channel", FakeSlack.RANDOM));
        assertSameShape(history, sample("javasdk_sample_conversations.history.json"), "messages");
        JsonObject marked =
                get("conversations.history", Map.of("channel", FakeSlack.GENERAL, "include_all_metadata", "true"));
        assertSameShape(marked, sample("javasdk_sample_conversations.history.json"), "messages");
        assertThat(marked.array("messages").get(0))
                .isInstanceOfSatisfying(
                        JsonObject.class,
                        m -> assertThat(m.object("metadata").string("event_type"))
                                .isEqualTo("switchboard_post"));
        // Metadata only when asked for, as at Slack.
        JsonObject plain = get("conversations.history", Map.of("channel", FakeSlack.GENERAL));
        assertThat(((JsonObject) plain.array("messages").get(0)).has("metadata"))
                .isFalse();
    }

    @Test
    void repliesCarryTheHistorySampleMessageShape() {
        JsonObject parent = parentInRandom();
        JsonObject replies =
                get("conversations.replies", Map.of("channel", FakeSlack.RANDOM, "ts", parent.string("ts")));
        JsonObject sample = sample("javasdk_sample_conversations.history.json");
        assertThat(problems("", replies, sample)).isEmpty();
        assertThat(replies.array("messages").size())
                .isEqualTo(1 + parent.number("reply_count").intValue());
        assertThat(((JsonObject) replies.array("messages").get(1)).string("parent_user_id"))
                .isEqualTo(parent.string("user"));
    }

    @Test
    void usersListHasTheSampleShape() {
        JsonObject users = get("users.list", Map.of());
        assertSameShape(users, sample("javasdk_sample_users.list.json"), "members");
        assertThat(users.array("members")).hasSize(FakeSlack.USERS.size() + 1);
    }

    @Test
    void aUserAddedWithAnEmailHasItInTheProfileOthersHaveTheirNameAtExampleCom() {
        SLACK.addUser("U0MAYA001", "maya", "Maya Patel", "maya.patel@northwind.example");

        Map<String, String> emails = new java.util.HashMap<>();
        for (var member : get("users.list", Map.of()).array("members")) {
            JsonObject user = (JsonObject) member;
            emails.put(user.string("id"), user.object("profile").string("email"));
        }
        assertThat(emails)
                .containsEntry("U0MAYA001", "maya.patel@northwind.example")
                .containsEntry(FakeSlack.USERS.get(0), "alice@example.com")
                .hasSize(FakeSlack.USERS.size() + 2);
    }

    @Test
    void postMessageHasTheSampleShapeAndLandsInHistory() {
        JsonObject answer = post(Map.of("channel", FakeSlack.GENERAL, "text", "hello"));
        JsonObject sample = sample("javasdk_sample_chat.postMessage.json");
        assertThat(problems("", answer, sample)).isEmpty();
        assertThat(answer.names()).containsAll(List.of("ok", "channel", "ts", "message"));

        JsonObject newest = (JsonObject) get("conversations.history", Map.of("channel", FakeSlack.GENERAL))
                .array("messages")
                .get(0);
        assertThat(newest.string("ts")).isEqualTo(answer.string("ts"));
        assertThat(newest.string("text")).isEqualTo("hello");
        assertThat(SLACK.postedMessages()).isEqualTo(1);
    }

    @Test
    void aReplyUpdatesItsThreadAndStaysOutOfHistory() {
        JsonObject parent = parentInRandom();
        int before = parent.number("reply_count").intValue();
        JsonObject reply =
                post(Map.of("channel", FakeSlack.RANDOM, "text", "in thread", "thread_ts", parent.string("ts")));

        JsonObject after = parentInRandom();
        assertThat(after.number("reply_count").intValue()).isEqualTo(before + 1);
        assertThat(after.string("latest_reply")).isEqualTo(reply.string("ts"));
        JsonArray history = get("conversations.history", Map.of("channel", FakeSlack.RANDOM))
                .array("messages");
        assertThat(history.stream().map(m -> ((JsonObject) m).string("ts"))).doesNotContain(reply.string("ts"));
    }

    @Test
    void authTestAndErrorsHaveTheSampleShape() {
        assertThat(problems("", get("auth.test", Map.of()), sample("javasdk_sample_auth.test.json")))
                .isEmpty();
        JsonObject error = get("conversations.history", Map.of("channel", "C0MISSING"));
        assertThat(problems("", error, sample("javasdk_sample_api.test.json"))).isEmpty();
        assertThat(sample("pysdk_web_response_api_test_false.json").names()).isSubsetOf(error.names());
    }

    @Test
    void pagesFollowNextCursorLikeTheRealPaginationSample() {
        JsonObject realPage = sample("pysdk_web_response_conversations_list_pagination.json");
        List<String> ids = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            Map<String, String> q =
                    new LinkedHashMap<>(Map.of("types", "public_channel,private_channel", "limit", "1"));
            if (!cursor.isEmpty()) {
                q.put("cursor", cursor);
            }
            JsonObject page = get("conversations.list", q);
            assertThat(page.names()).isSubsetOf(realPage.names());
            assertThat(problems("", page.object("response_metadata"), realPage.object("response_metadata")))
                    .isEmpty();
            page.array("channels").forEach(c -> ids.add(((JsonObject) c).string("id")));
            cursor = page.object("response_metadata").string("next_cursor");
            pages++;
        } while (!cursor.isEmpty());
        assertThat(pages).isEqualTo(3);
        assertThat(ids).containsExactly(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);
    }

    @Test
    void historyIsNewestFirstAndHonoursItsWindow() {
        SLACK.seedMessages(8);
        List<String> ts = new ArrayList<>();
        String cursor = "";
        do {
            Map<String, String> q = new LinkedHashMap<>(Map.of("channel", FakeSlack.GENERAL, "limit", "2"));
            if (!cursor.isEmpty()) {
                q.put("cursor", cursor);
            }
            JsonObject page = get("conversations.history", q);
            page.array("messages").forEach(m -> ts.add(((JsonObject) m).string("ts")));
            cursor = page.object("response_metadata").string("next_cursor");
            assertThat(page.bool("has_more")).isEqualTo(!cursor.isEmpty());
        } while (!cursor.isEmpty());
        assertThat(ts).hasSize(4).isSortedAccordingTo((a, b) -> b.compareTo(a));

        String second = ts.get(2);
        assertThat(get("conversations.history", Map.of("channel", FakeSlack.GENERAL, "oldest", second))
                        .array("messages"))
                .hasSize(2);
        assertThat(get(
                                "conversations.history",
                                Map.of("channel", FakeSlack.GENERAL, "oldest", second, "inclusive", "true"))
                        .array("messages"))
                .hasSize(3);
    }

    // ---- errors ----

    @Test
    void errorsAreOkFalseInAnHttp200() throws Exception {
        assertThat(send(HttpRequest.newBuilder(uri("conversations.list", Map.of()))
                                .GET()
                                .build())
                        .body())
                .contains("\"error\":\"not_authed\"");
        HttpResponse<String> bad = send(HttpRequest.newBuilder(uri("conversations.list", Map.of()))
                .header("Authorization", "Bearer wrong")
                .GET()
                .build());
        assertThat(bad.statusCode()).isEqualTo(200);
        assertThat(Json.parseObject(bad.body().getBytes(StandardCharsets.UTF_8)).string("error"))
                .isEqualTo("invalid_auth");

        SLACK.revokeAccessTokens();
        SLACK.rejectTokensWith("token_expired");
        assertThat(get("users.list", Map.of()).string("error")).isEqualTo("token_expired");
        SLACK.reset();

        SLACK.enforceRateLimits(false); // several posts in one second to one channel
        SLACK.addChannel("C0OUTSIDE", "outside", false, false);
        assertThat(get("conversations.history", Map.of("channel", "C0OUTSIDE")).string("error"))
                .isEqualTo("not_in_channel");
        assertThat(get("conversations.history", Map.of("channel", FakeSlack.HIDDEN))
                        .string("error"))
                .isEqualTo("channel_not_found");
        assertThat(get("conversations.list", Map.of("cursor", "bm9wZQ==")).string("error"))
                .isEqualTo("invalid_cursor");
        assertThat(post(Map.of("channel", FakeSlack.GENERAL, "text", " ")).string("error"))
                .isEqualTo("no_text");
        assertThat(post(Map.of("channel", FakeSlack.GENERAL, "text", "x".repeat(40_001)))
                        .string("error"))
                .isEqualTo("msg_too_long");
        assertThat(post(Map.of("channel", "C0NOWHERE", "text", "x")).string("error"))
                .isEqualTo("channel_not_found");

        SLACK.failNext("users.list", "internal_error", 1);
        assertThat(get("users.list", Map.of()).string("error")).isEqualTo("internal_error");
        assertThat(get("users.list", Map.of()).bool("ok")).isTrue();
    }

    @Test
    void serverErrorsAndThrottlesUseSlacksShapes() throws Exception {
        SLACK.faults().serverErrors(1, 503).throttles(1);
        HttpResponse<String> first = send(authorized("users.list", Map.of()));
        HttpResponse<String> second = send(authorized("users.list", Map.of()));
        List<HttpResponse<String>> both = List.of(first, second);
        assertThat(both).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(503, 429);
        HttpResponse<String> throttled = first.statusCode() == 429 ? first : second;
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(throttled.body()).isEqualTo("{\"ok\":false,\"error\":\"ratelimited\"}");
        assertThat(throttled.headers().firstValue("X-Slack-Req-Id")).isPresent();
    }

    // ---- limits ----

    @Test
    void tiersAreEnforcedPerMethodWith429AndRetryAfter() throws Exception {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.useClock(clock).tierLimit(2, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(send(authorized("conversations.list", Map.of())).statusCode())
                    .isEqualTo(200);
        }
        clock.advance(Duration.ofSeconds(20));
        HttpResponse<String> limited = send(authorized("conversations.list", Map.of()));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("40");
        assertThat(limited.body()).contains("ratelimited");
        // Another method of another tier has its own budget.
        assertThat(send(authorized("conversations.history", Map.of("channel", FakeSlack.GENERAL)))
                        .statusCode())
                .isEqualTo(200);

        clock.advance(Duration.ofSeconds(40));
        assertThat(send(authorized("conversations.list", Map.of())).statusCode())
                .isEqualTo(200);
        assertThat(SLACK.rateLimitedAnswers()).isEqualTo(1);
        assertThat(SLACK.responseCount(429)).isEqualTo(1);
    }

    @Test
    void postsAreLimitedPerChannel() {
        SLACK.useClock(ManualClock.at(Instant.parse("2026-06-01T09:00:00Z")));
        assertThat(post(Map.of("channel", FakeSlack.GENERAL, "text", "one")).bool("ok"))
                .isTrue();
        assertThat(post(Map.of("channel", FakeSlack.GENERAL, "text", "two")).string("error"))
                .isEqualTo("ratelimited");
        assertThat(post(Map.of("channel", FakeSlack.RANDOM, "text", "three")).bool("ok"))
                .isTrue();
        assertThat(SLACK.postedMessages()).isEqualTo(2);
    }

    @Test
    void aDroppedAnswerStillPosts() {
        SLACK.dropAnswersToPosts(1);
        int before = SLACK.messages(FakeSlack.GENERAL).size();
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(URI.create(SLACK.baseUrl() + "/api/chat.postMessage"))
                        .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"C0GENERAL\",\"text\":\"lost\"}"))
                        .build()))
                .isInstanceOf(IOException.class);
        assertThat(SLACK.messages(FakeSlack.GENERAL)).hasSize(before + 1);
        assertThat(SLACK.postedMessages()).isEqualTo(1);
    }

    // ---- helpers ----

    private JsonObject parentInRandom() {
        return get("conversations.history", Map.of("channel", FakeSlack.RANDOM)).array("messages").stream()
                .map(JsonObject.class::cast)
                .filter(m -> m.number("reply_count") != null)
                .findFirst()
                .orElseThrow();
    }

    private static JsonObject sample(String name) {
        return (JsonObject) VendorSamples.json("slack/" + name);
    }

    /** The fake's envelope keys and every record's fields exist in the sample, with the same JSON types. */
    private static void assertSameShape(JsonObject fake, JsonObject sample, String arrayField) {
        assertThat(fake.bool("ok")).as("ok in %s", fake).isTrue();
        assertThat(fake.names()).contains("ok", arrayField, "response_metadata");
        assertThat(fake.array(arrayField)).isNotEmpty();
        assertThat(problems("", fake, sample)).isEmpty();
    }

    /**
     * Where {@code fake} departs from {@code sample}: fields the sample lacks, or of another JSON type.
     * A null in the fake matches anything (Slack sends nulls); an empty object or array in the sample
     * is free-form (the masked samples show {@code "event_payload": {}}).
     */
    static List<String> problems(String path, JsonValue fake, JsonValue sample) {
        List<String> problems = new ArrayList<>();
        if (fake instanceof JsonNull || sample instanceof JsonNull) {
            return problems;
        }
        if (fake.type() != sample.type()) {
            problems.add(path + ": " + fake.type() + " where the sample has " + sample.type());
            return problems;
        }
        if (fake instanceof JsonObject f && sample instanceof JsonObject s && !s.isEmpty()) {
            for (Map.Entry<String, JsonValue> e : f.fields().entrySet()) {
                JsonValue expected = s.get(e.getKey());
                if (expected == null) {
                    problems.add(path + "." + e.getKey() + ": not in the sample");
                } else {
                    problems.addAll(problems(path + "." + e.getKey(), e.getValue(), expected));
                }
            }
        }
        if (fake instanceof JsonArray f && sample instanceof JsonArray s && !s.isEmpty()) {
            for (int i = 0; i < f.size(); i++) {
                problems.addAll(problems(path + "[" + i + "]", f.get(i), s.get(0)));
            }
        }
        return problems;
    }

    private URI uri(String method, Map<String, String> query) {
        StringBuilder sb = new StringBuilder(SLACK.baseUrl()).append("/api/").append(method);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append(sep)
                    .append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return URI.create(sb.toString());
    }

    private HttpRequest authorized(String method, Map<String, String> query) {
        return HttpRequest.newBuilder(uri(method, query))
                .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                .GET()
                .build();
    }

    // ---- a workspace that changes ----

    private static String hmacV0(String secret, String timestamp, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "v0="
                    + java.util.HexFormat.of()
                            .formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void changesAreDeliveredAsEventsSignedAsSlackSignsThemAndARetryKeepsItsEventId() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.useClock(clock);
        String ts = SLACK.postMessage(FakeSlack.GENERAL, FakeSlack.USERS.get(0), "hello");
        SLACK.editMessage(FakeSlack.GENERAL, ts, "hello, edited");
        SLACK.deleteMessage(FakeSlack.GENERAL, ts);

        List<FakeSlack.SignedEvent> deliveries = SLACK.takeDeliveries();
        assertThat(deliveries).hasSize(3);
        for (FakeSlack.SignedEvent d : deliveries) {
            assertThat(d.headers().get("X-Slack-Signature"))
                    .isEqualTo(hmacV0(FakeSlack.SIGNING_SECRET, d.timestamp(), d.body()));
            assertThat(d.timestamp()).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
        }
        List<String> subtypes = new ArrayList<>();
        for (FakeSlack.SignedEvent d : deliveries) {
            JsonObject event = Json.parseObject(d.bodyBytes()).object("event");
            subtypes.add(String.valueOf(event.string("subtype")));
        }
        assertThat(subtypes).containsExactly("null", "message_changed", "message_deleted");
        clock.advance(Duration.ofSeconds(3));
        FakeSlack.SignedEvent retry = SLACK.retry(deliveries.get(0), 1);
        assertThat(Json.parseObject(retry.bodyBytes()).string("event_id"))
                .isEqualTo(deliveries.get(0).eventId());
        assertThat(retry.headers()).containsEntry("X-Slack-Retry-Num", "1");
        assertThat(retry.headers().get("X-Slack-Signature"))
                .isEqualTo(hmacV0(FakeSlack.SIGNING_SECRET, retry.timestamp(), retry.body()));
        assertThat(SLACK.messages(FakeSlack.GENERAL)).noneMatch(m -> ts.equals(m.string("ts")));
    }

    @Test
    void aDeletedMessagesTsIsNeverIssuedAgainInItsChannel() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.useClock(clock);
        String first = SLACK.postMessage(FakeSlack.RANDOM, FakeSlack.USERS.get(0), "first");
        SLACK.deleteMessage(FakeSlack.RANDOM, first);
        String second = SLACK.postMessage(FakeSlack.RANDOM, FakeSlack.USERS.get(0), "second");

        assertThat(new java.math.BigDecimal(second)).isGreaterThan(new java.math.BigDecimal(first));
    }

    @Test
    void historyCursorsNameTheNextTsSoADeleteBetweenPagesSkipsNothingAndTheyExpire() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
        SLACK.useClock(clock).seedMessages(10).cursorsExpireAfter(Duration.ofSeconds(30));
        JsonObject first = get("conversations.history", Map.of("channel", FakeSlack.GENERAL, "limit", "2"));
        String cursor = first.object("response_metadata").string("next_cursor");
        // The newest message of the first page goes: an offset cursor would now skip one.
        SLACK.deleteMessage(
                FakeSlack.GENERAL, ((JsonObject) first.array("messages").get(0)).string("ts"));
        List<String> rest = new ArrayList<>();
        while (cursor != null && !cursor.isEmpty()) {
            JsonObject page =
                    get("conversations.history", Map.of("channel", FakeSlack.GENERAL, "limit", "2", "cursor", cursor));
            page.array("messages").forEach(m -> rest.add(((JsonObject) m).string("ts")));
            cursor = page.object("response_metadata").string("next_cursor");
        }
        List<String> expected = new ArrayList<>();
        SLACK.messages(FakeSlack.GENERAL).forEach(m -> expected.add(m.string("ts")));
        expected.remove(((JsonObject) first.array("messages").get(1)).string("ts"));
        java.util.Collections.reverse(expected);
        assertThat(rest).isEqualTo(expected);

        JsonObject again = get("conversations.history", Map.of("channel", FakeSlack.GENERAL, "limit", "2"));
        clock.advance(Duration.ofSeconds(31));
        JsonObject expired = get(
                "conversations.history",
                Map.of(
                        "channel",
                        FakeSlack.GENERAL,
                        "limit",
                        "2",
                        "cursor",
                        again.object("response_metadata").string("next_cursor")));
        assertThat(expired.bool("ok")).isFalse();
        assertThat(expired.string("error")).isEqualTo("invalid_cursor");
    }

    @Test
    void aMissingScopeIsAnsweredAsSlackDoesNamingTheScopeNeeded() {
        SLACK.missingScope("conversations.history", "channels:history");
        JsonObject answer = get("conversations.history", Map.of("channel", FakeSlack.GENERAL));

        assertThat(answer.bool("ok")).isFalse();
        assertThat(answer.string("error")).isEqualTo("missing_scope");
        assertThat(answer.string("needed")).isEqualTo("channels:history");
        assertThat(answer.string("provided")).isNotBlank();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject get(String method, Map<String, String> query) {
        try {
            return Json.parseObject(send(authorized(method, query)).body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** chat.postMessage with a form body, as Slack's SDKs send it. */
    private JsonObject post(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(SLACK.baseUrl() + "/api/chat.postMessage"))
                    .header("Authorization", "Bearer " + VendorFake.ACCESS_TOKEN)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build());
            return Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
