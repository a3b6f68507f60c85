package dev.switchboard.examples;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.hubspot.HubSpotOAuth;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.connectors.salesforce.SalesforceOAuth;
import dev.switchboard.connectors.slack.SlackConnector;
import dev.switchboard.connectors.slack.SlackOAuth;
import dev.switchboard.connectors.slack.SlackSettings;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.OAuthClient;
import dev.switchboard.oauth.ProviderSettings;
import dev.switchboard.oauth.TokenManager;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each bundled connector authenticated through integrations-oauth: the stored access token is no
 * longer accepted, the vendor says so in its own way (Salesforce 401 INVALID_SESSION_ID, HubSpot 401,
 * Slack 200 ok:false invalid_auth), and the TokenManager built from the vendor's preset refreshes
 * once, parsing the vendor's own token response, before the request is replayed.
 */
class ConnectorsAuthenticatedThroughOAuthTest {
    @RegisterExtension
    static final FakeSalesforce SALESFORCE = new FakeSalesforce();

    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    @RegisterExtension
    static final WireMockExtension TOKEN_ENDPOINT = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private final AgentContext context = AgentContext.of(Principal.user("u-42", "acme"));
    private final TokenStore store = TokenStore.inMemory(clock);

    private URI tokenUrl() {
        return URI.create(TOKEN_ENDPOINT.baseUrl() + "/token");
    }

    /** Reads a stream through a Switchboard whose credentials come from this token manager. */
    private List<Record> read(ConnectionConfig config, TokenManager tokens, String stream) {
        List<Record> records = new ArrayList<>();
        try (Switchboard sb = Switchboard.builder()
                        .connection(config)
                        .credentialSource(tokens)
                        .accessPolicy(AccessPolicy.allowAll())
                        .auditSink(AuditSink.inMemory())
                        .clock(clock)
                        .sleeper(clock.sleeper())
                        .build();
                RecordStream read = sb.connection(config.id()).read(context, ReadRequest.of(stream))) {
            read.forEach(records::add);
        }
        return records;
    }

    private Credential stale(Map<String, String> attributes) {
        return Credential.builder("stale-access-token")
                .refreshToken("refresh-1")
                .attributes(attributes)
                .build();
    }

    @Test
    void salesforceRefreshesOnRejectionAndKeepsItsInstance() {
        TOKEN_ENDPOINT.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(okJson("{\"access_token\":\"fresh-sf\","
                        + "\"instance_url\":\"" + SALESFORCE.baseUrl()
                        + "\",\"id\":\"https://login.salesforce.com/id/00D/005\","
                        + "\"token_type\":\"Bearer\",\"issued_at\":\"1780000000000\",\"signature\":\"sig\"}")));
        SALESFORCE.acceptAccessToken("fresh-sf");
        ConnectionConfig config = ConnectionConfig.builder("salesforce-acme")
                .connector(SalesforceConnector.ID)
                .baseUrl(SALESFORCE.baseUrl())
                .settings(Map.of(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID))
                .build();
        store.compareAndSet(
                "salesforce-acme", 0, stale(Map.of(SalesforceConnector.INSTANCE_URL, SALESFORCE.baseUrl())));
        OAuthClient client = OAuthClient.builder(
                        ProviderSettings.salesforce(URI.create(SalesforceOAuth.LOGIN_HOST))
                                .scopes(SalesforceOAuth.SCOPES)
                                .tokenEndpoint(tokenUrl())
                                .build(),
                        "sf-client")
                .clientSecret("sf-secret")
                .clock(clock)
                .build();

        List<Record> cases =
                read(config, TokenManager.builder(client, store).clock(clock).build(), "Case");

        assertThat(cases).hasSize(SALESFORCE.records("Case").size()).isNotEmpty();
        TOKEN_ENDPOINT.verify(1, postRequestedFor(urlPathEqualTo("/token")));
        Credential stored = store.load("salesforce-acme").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.accessToken()).isEqualTo("fresh-sf");
        assertThat(stored.attribute(SalesforceConnector.INSTANCE_URL)).isEqualTo(SALESFORCE.baseUrl());
        assertThat(stored.refreshToken())
                .as("Salesforce does not rotate its refresh token")
                .contains("refresh-1");
    }

    @Test
    void hubspotRefreshesWithTheClientSecretInTheBody() {
        TOKEN_ENDPOINT.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(okJson("{\"token_type\":\"bearer\","
                        + "\"refresh_token\":\"refresh-1\",\"access_token\":\"fresh-hub\",\"expires_in\":1800}")));
        HUBSPOT.acceptAccessToken("fresh-hub");
        ConnectionConfig config = ConnectionConfig.builder("hubspot-acme")
                .connector("hubspot")
                .baseUrl(HUBSPOT.baseUrl())
                .settings(Map.of(HubSpotConnector.PORTAL_ID, "62515"))
                .build();
        store.compareAndSet("hubspot-acme", 0, stale(Map.of()));
        OAuthClient client = OAuthClient.builder(
                        ProviderSettings.hubspot()
                                .scopes(HubSpotOAuth.ALL_SCOPES)
                                .tokenEndpoint(tokenUrl())
                                .build(),
                        "hub-client")
                .clientSecret("hub-secret")
                .clock(clock)
                .build(); // the preset sends the secret in the form body, as HubSpot wants

        List<Record> tickets =
                read(config, TokenManager.builder(client, store).clock(clock).build(), "tickets");

        assertThat(tickets).hasSize(HUBSPOT.count("tickets")).isNotEmpty();
        TOKEN_ENDPOINT.verify(1, postRequestedFor(urlPathEqualTo("/token")));
        assertThat(TOKEN_ENDPOINT
                        .findAll(postRequestedFor(urlPathEqualTo("/token")))
                        .get(0)
                        .getBodyAsString())
                .contains("client_secret=hub-secret");
        Credential stored = store.load("hubspot-acme").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.expiresAt()).contains(clock.instant().plusSeconds(1800));
    }

    @Test
    void slackRefreshesThroughOauthV2AccessAndItsBotTokenType() {
        TOKEN_ENDPOINT.stubFor(post(urlPathEqualTo("/token"))
                .willReturn(okJson("{\"ok\":true,\"access_token\":\"fresh-slack\","
                        + "\"token_type\":\"bot\",\"scope\":\"channels:read,channels:history\",\"bot_user_id\":\"U0BOT\",\"app_id\":\"A0APP\","
                        + "\"team\":{\"id\":\"" + FakeSlack.TEAM_ID
                        + "\",\"name\":\"Acme\"},\"refresh_token\":\"refresh-2\","
                        + "\"expires_in\":43200}")));
        SLACK.acceptAccessToken("fresh-slack");
        ConnectionConfig config = ConnectionConfig.builder("slack-acme")
                .connector(SlackConnector.ID)
                .baseUrl(SLACK.baseUrl())
                .settings(Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID))
                .build();
        store.compareAndSet("slack-acme", 0, stale(Map.of()));
        OAuthClient client = OAuthClient.builder(
                        ProviderSettings.slack()
                                .scopes(SlackOAuth.ALL_SCOPES)
                                .tokenEndpoint(tokenUrl())
                                .build(),
                        "slack-client")
                .clientSecret("slack-secret")
                .clock(clock)
                .build();

        List<Record> users =
                read(config, TokenManager.builder(client, store).clock(clock).build(), "users");

        assertThat(users).isNotEmpty();
        TOKEN_ENDPOINT.verify(1, postRequestedFor(urlPathEqualTo("/token")));
        Credential stored = store.load("slack-acme").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.attribute("team_id")).isEqualTo(FakeSlack.TEAM_ID);
        assertThat(stored.refreshToken()).as("Slack rotates refresh tokens").contains("refresh-2");
    }
}
