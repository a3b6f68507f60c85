package dev.switchboard.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.core.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The helpdesk vendor, played by an embedded WireMock server on a random port: its ticket API and
 * its OAuth token endpoint. It misbehaves on purpose, once each, on the first page of tickets:
 * <ol>
 *   <li>429 with {@code Retry-After: 1} (rate limited, whatever the token);
 *   <li>401, because the token the demo starts with was revoked (any request with a token other than
 *       the one the token endpoint hands out is rejected);
 *   <li>503 (a short outage);
 * </ol>
 * then serves three pages, two resumed reads and the comment.
 *
 * <p>Its token endpoint rotates refresh tokens strictly: each refresh token works once, for a
 * confidential client authenticating with HTTP Basic ({@code client_secret_basic}). The first refresh
 * answers a token that lives {@value #FIRST_EXPIRES_IN_SECONDS} seconds, so the demo's token expires
 * mid-run; the second one must come with the rotated refresh token and answers a token for an hour.
 *
 * <p>Every request it answers is described to a listener, with the token shown as a version label,
 * never as its value.
 */
final class HelpdeskFake implements AutoCloseable {
    // Fake secrets. The demo never prints them; tests check that no log line does either.
    static final String REVOKED_TOKEN = "hd-at-1-revoked-7c1f0e";
    static final String FRESH_TOKEN = "hd-at-2-valid-93ab44";
    static final String NEXT_TOKEN = "hd-at-3-valid-e04b7d";
    static final String REFRESH_TOKEN = "hd-rt-1-5d2e81";
    static final String ROTATED_REFRESH_TOKEN = "hd-rt-2-a90c37";
    static final String NEXT_REFRESH_TOKEN = "hd-rt-3-61f5c9";
    static final String CLIENT_ID = "switchboard-demo";
    static final String CLIENT_SECRET = "hd-cs-b8d27f40";
    /** The lifetime of the token the first refresh hands out: short, so that it expires mid-run. */
    static final int FIRST_EXPIRES_IN_SECONDS = 4;

    static final String TENANT = "acme";
    static final String COMMENT_ID = "C-9001";

    /** A ticket as the vendor stores it. */
    record Ticket(
            String id,
            String subject,
            String status,
            String updatedAt,
            String visibility,
            @Nullable String owner,
            List<String> roles,
            String version) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("subject", subject);
            m.put("status", status);
            m.put("updated_at", updatedAt);
            m.put("visibility", visibility);
            if (owner != null) {
                m.put("owner", owner);
            }
            if (!roles.isEmpty()) {
                m.put("roles", roles);
            }
            m.put("version", version);
            return m;
        }
    }

    // Ordered by updated_at, then id, as the vendor returns them. T-1006 and T-1007 share a timestamp.
    static final List<Ticket> PAGE_1 = List.of(
            new Ticket(
                    "T-1001", "VPN drops every hour", "open", "2025-03-03T09:00:00Z", "tenant", null, List.of(), "3"),
            new Ticket(
                    "T-1002",
                    "Refund for order 5521",
                    "open",
                    "2025-03-03T09:30:00Z",
                    "private",
                    "u-42",
                    List.of(),
                    "1"));
    static final List<Ticket> PAGE_2 = List.of(
            new Ticket(
                    "T-1003",
                    "Question about my salary",
                    "pending",
                    "2025-03-03T10:05:00Z",
                    "private",
                    "u-77",
                    List.of(),
                    "2"),
            new Ticket(
                    "T-1004",
                    "Printer on floor 3 jams",
                    "open",
                    "2025-03-03T10:20:00Z",
                    "private",
                    "u-77",
                    List.of("support"),
                    "5"));
    static final List<Ticket> PAGE_3 = List.of(
            new Ticket(
                    "T-1005",
                    "Is the status page down?",
                    "solved",
                    "2025-03-03T11:00:00Z",
                    "public",
                    null,
                    List.of(),
                    "2"),
            new Ticket("T-1006", "New laptop for Ana", "open", "2025-03-03T11:45:00Z", "tenant", null, List.of(), "1"));
    /** Created after the first read finished, with the same updated_at as T-1006. */
    static final List<Ticket> LATER = List.of(new Ticket(
            "T-1007", "Laptop charger missing", "open", "2025-03-03T11:45:00Z", "tenant", null, List.of(), "1"));
    /** Created after the resumed read. */
    static final List<Ticket> LATEST = List.of(new Ticket(
            "T-1008", "Invoice PDF is blank", "open", "2025-03-03T12:10:00Z", "tenant", null, List.of(), "1"));

    /** The Authorization header of a request with a token the vendor accepts (v2 stays valid after v3 is issued). */
    private static final String VALID_BEARER = "Bearer (" + FRESH_TOKEN + "|" + NEXT_TOKEN + ")";

    private final WireMockServer server;

    private HelpdeskFake(WireMockServer server) {
        this.server = server;
    }

    /**
     * Starts the fake on a free port.
     *
     * @param wire receives one line per request answered, in the order they were answered
     */
    static HelpdeskFake start(Consumer<String> wire) {
        WireMockServer server = new WireMockServer(
                options().dynamicPort().notifier(new ConsoleNotifier(false)).extensions(new WireListener(wire)));
        server.start();
        HelpdeskFake fake = new HelpdeskFake(server);
        fake.stubTokenEndpoint();
        fake.stubTickets();
        fake.stubComments();
        return fake;
    }

    String baseUrl() {
        return server.baseUrl();
    }

    String tokenUrl() {
        return server.baseUrl() + "/oauth/token";
    }

    /** One request the vendor answered: {@code "GET /api/tickets"}, the credential's label, the status. */
    record Exchange(String endpoint, String credential, int status) {
        @Override
        public String toString() {
            return endpoint + " " + credential + " " + status;
        }
    }

    /** Every request the server's journal holds, oldest first. */
    List<Exchange> exchanges() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events); // the journal lists the newest first
        return events.stream()
                .map(e -> new Exchange(
                        endpoint(e.getRequest()),
                        credentialLabel(e.getRequest()),
                        e.getResponse().getStatus()))
                .toList();
    }

    /**
     * What the server's request journal holds, per endpoint ({@code "GET /api/tickets"}): the status of
     * each answer, oldest first.
     */
    Map<String, List<Integer>> statusesByEndpoint() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events); // the journal lists the newest first
        Map<String, List<Integer>> byEndpoint = new LinkedHashMap<>();
        for (ServeEvent e : events) {
            byEndpoint
                    .computeIfAbsent(endpoint(e.getRequest()), k -> new ArrayList<>())
                    .add(e.getResponse().getStatus());
        }
        return byEndpoint;
    }

    private static String endpoint(LoggedRequest request) {
        String url = request.getUrl();
        int q = url.indexOf('?');
        return request.getMethod() + " " + (q < 0 ? url : url.substring(0, q));
    }

    /**
     * Which credential a request carried, by version, so no secret is printed: {@code token v2} for an
     * access token, {@code rt v2} for the refresh token of a refresh grant.
     */
    static String credentialLabel(LoggedRequest request) {
        if (request.getUrl().startsWith("/oauth/")) {
            String refreshToken = formParameter(request.getBodyAsString(), "refresh_token");
            if (refreshToken == null) {
                return "(no rt)";
            }
            return refreshToken.equals(REFRESH_TOKEN)
                    ? "rt v1"
                    : refreshToken.equals(ROTATED_REFRESH_TOKEN)
                            ? "rt v2"
                            : refreshToken.equals(NEXT_REFRESH_TOKEN) ? "rt v3" : "rt ?";
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return "(none)";
        }
        return authorization.equals("Bearer " + REVOKED_TOKEN)
                ? "token v1"
                : authorization.equals("Bearer " + FRESH_TOKEN)
                        ? "token v2"
                        : authorization.equals("Bearer " + NEXT_TOKEN) ? "token v3" : "token ?";
    }

    private static @Nullable String formParameter(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0
                    && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                            .equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop();
    }

    private void stubTokenEndpoint() {
        // Nimbus sends the refresh grant as a form POST, the client's id and secret in HTTP Basic. Each
        // refresh token works once (strict rotation): reusing one falls through to invalid_grant.
        server.stubFor(refreshGrant(REFRESH_TOKEN)
                .inScenario("refresh tokens")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("rotated once")
                .withMetadata(note("access token v2 for " + FIRST_EXPIRES_IN_SECONDS + " s, refresh token rotated"))
                .willReturn(json(
                        200,
                        Map.of(
                                "access_token",
                                FRESH_TOKEN,
                                "token_type",
                                "Bearer",
                                "expires_in",
                                FIRST_EXPIRES_IN_SECONDS,
                                "refresh_token",
                                ROTATED_REFRESH_TOKEN))));
        server.stubFor(refreshGrant(ROTATED_REFRESH_TOKEN)
                .inScenario("refresh tokens")
                .whenScenarioStateIs("rotated once")
                .willSetStateTo("rotated twice")
                .withMetadata(note("access token v3 for 3600 s, refresh token rotated"))
                .willReturn(json(
                        200,
                        Map.of(
                                "access_token",
                                NEXT_TOKEN,
                                "token_type",
                                "Bearer",
                                "expires_in",
                                3600,
                                "refresh_token",
                                NEXT_REFRESH_TOKEN))));
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .atPriority(10)
                .withMetadata(note("invalid_grant"))
                .willReturn(json(400, Map.of("error", "invalid_grant"))));
    }

    private static MappingBuilder refreshGrant(String refreshToken) {
        return post(urlPathEqualTo("/oauth/token"))
                .atPriority(1)
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withBasicAuth(CLIENT_ID, CLIENT_SECRET)
                .withFormParam("grant_type", equalTo("refresh_token"))
                .withFormParam("refresh_token", equalTo(refreshToken));
    }

    private void stubTickets() {
        // Any API call without a valid token is rejected, as a real vendor does after revoking a token.
        server.stubFor(any(urlPathMatching("/api/.*"))
                .atPriority(10)
                .withHeader("Authorization", notMatching(VALID_BEARER))
                .withMetadata(note("token rejected"))
                .willReturn(json(401, Map.of("error", "invalid_token"))
                        .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));

        // The first page misbehaves once per kind, in this order; WireMock's scenario holds the state.
        server.stubFor(firstPage()
                .atPriority(1)
                .inScenario("first page")
                .whenScenarioStateIs(STARTED)
                .willSetStateTo("throttled once")
                .withMetadata(note("rate limited, Retry-After: 1"))
                .willReturn(json(429, Map.of("error", "rate_limited")).withHeader("Retry-After", "1")));
        server.stubFor(firstPage()
                .atPriority(2)
                .withHeader("Authorization", equalTo("Bearer " + FRESH_TOKEN))
                .inScenario("first page")
                .whenScenarioStateIs("throttled once")
                .willSetStateTo("recovered")
                .withMetadata(note("service unavailable"))
                .willReturn(json(503, Map.of("error", "maintenance"))));
        server.stubFor(firstPage()
                .atPriority(2)
                .withHeader("Authorization", matching(VALID_BEARER)) // later reads carry later tokens
                .inScenario("first page")
                .whenScenarioStateIs("recovered")
                .withMetadata(note(pageNote(PAGE_1, "p2")))
                .willReturn(page(PAGE_1, "p2")));

        server.stubFor(tickets()
                .withQueryParam("cursor", equalTo("p2"))
                .withMetadata(note(pageNote(PAGE_2, "p3")))
                .willReturn(page(PAGE_2, "p3")));
        server.stubFor(tickets()
                .withQueryParam("cursor", equalTo("p3"))
                .withMetadata(note(pageNote(PAGE_3, null)))
                .willReturn(page(PAGE_3, null)));

        // The keyset filter of a resumed read: after T-1006 at its updated_at, which only T-1007 passes.
        Ticket last = PAGE_3.get(PAGE_3.size() - 1);
        server.stubFor(tickets()
                .withQueryParam("cursor", absent())
                .withQueryParam("updated_after", equalTo(last.updatedAt()))
                .withQueryParam("after_id", equalTo(last.id()))
                .withMetadata(note(pageNote(LATER, null)))
                .willReturn(page(LATER, null)));
        // ...and the next one, after T-1007: T-1008, created while the agent was thinking.
        Ticket later = LATER.get(LATER.size() - 1);
        server.stubFor(tickets()
                .withQueryParam("cursor", absent())
                .withQueryParam("updated_after", equalTo(later.updatedAt()))
                .withQueryParam("after_id", equalTo(later.id()))
                .withMetadata(note(pageNote(LATEST, null)))
                .willReturn(page(LATEST, null)));
    }

    private void stubComments() {
        server.stubFor(post(urlPathEqualTo("/api/tickets/T-1002/comments"))
                .atPriority(2)
                .withHeader("Authorization", matching(VALID_BEARER))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("{\"body\": \"${json-unit.any-string}\", \"public\": false}"))
                .withMetadata(note("comment " + COMMENT_ID + " created"))
                .willReturn(json(
                        201, Map.of("id", COMMENT_ID, "ticket_id", "T-1002", "created_at", "2025-03-03T12:01:07Z"))));
    }

    private static MappingBuilder tickets() {
        return get(urlPathEqualTo("/api/tickets"))
                .atPriority(2)
                .withHeader("Authorization", matching(VALID_BEARER))
                .withQueryParam("limit", equalTo("2"));
    }

    private static MappingBuilder firstPage() {
        return get(urlPathEqualTo("/api/tickets"))
                .withQueryParam("limit", equalTo("2"))
                .withQueryParam("cursor", absent())
                .withQueryParam("updated_after", absent());
    }

    private static ResponseDefinitionBuilder page(List<Ticket> tickets, @Nullable String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tickets", tickets.stream().map(Ticket::toMap).toList());
        body.put("next", next);
        return json(200, body);
    }

    private static String pageNote(List<Ticket> tickets, @Nullable String next) {
        return tickets.size() + " ticket" + (tickets.size() == 1 ? "" : "s") + " ("
                + String.join(", ", tickets.stream().map(Ticket::id).toList()) + "), "
                + (next == null ? "last page" : "next=" + next);
    }

    private static ResponseDefinitionBuilder json(int status, Map<String, ?> body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(Json.objectFrom(body).toJson());
    }

    private static Map<String, String> note(String note) {
        return Map.of("note", note);
    }

    /** Describes each answer just before it is sent, while the caller still waits for it. */
    private static final class WireListener implements ServeEventListener {
        private final Consumer<String> wire;

        WireListener(Consumer<String> wire) {
            this.wire = wire;
        }

        @Override
        public String getName() {
            return "helpdesk-wire-log";
        }

        @Override
        public void beforeResponseSent(ServeEvent event, Parameters parameters) {
            LoggedRequest request = event.getRequest();
            String note =
                    event.getStubMapping() == null || event.getStubMapping().getMetadata() == null
                            ? "no stub matched"
                            : event.getStubMapping().getMetadata().getString("note", "");
            wire.accept(String.format(
                    "%-4s %-44s %-9s -> %d %s",
                    request.getMethod(),
                    URLDecoder.decode(request.getUrl(), StandardCharsets.UTF_8),
                    credentialLabel(request),
                    event.getResponseDefinition().getStatus(),
                    note));
        }
    }
}
