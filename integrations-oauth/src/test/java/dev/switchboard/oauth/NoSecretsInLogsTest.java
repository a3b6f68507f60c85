package dev.switchboard.oauth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.TokenEndpointStub;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs every path that handles a secret with our loggers at TRACE and checks that no access token,
 * refresh token, client secret, authorization code or code verifier appears in any log line, any
 * exception message, any audit event or any toString(). Only dev.switchboard.* loggers are captured:
 * test servers log secrets through their own.
 */
class NoSecretsInLogsTest {
    private static final String CLIENT_SECRET = Secrets.register(SecretKind.CLIENT_SECRET, "cs-7f3a9-client-secret");
    private static final String CODE = Secrets.register(SecretKind.AUTHORIZATION_CODE, "code-9a8b7c-authorization");
    private static final String ACCESS = Secrets.register(SecretKind.ACCESS_TOKEN, "at-5e4d3c-access-token");
    private static final String REFRESH = Secrets.register(SecretKind.REFRESH_TOKEN, "rt-2b1a0f-refresh-token");
    private static final String ACCESS_2 = Secrets.register(SecretKind.ACCESS_TOKEN, "at-ffee11-second-access");
    private static final String REFRESH_2 = Secrets.register(SecretKind.REFRESH_TOKEN, "rt-ddcc22-rotated-refresh");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
    private Level previous;
    private final List<String> seen = new ArrayList<>();

    @BeforeEach
    void capture() {
        previous = ours.getLevel();
        ours.setLevel(Level.TRACE);
        appender.start();
        ours.addAppender(appender);
    }

    @AfterEach
    void release() {
        ours.detachAppender(appender);
        ours.setLevel(previous);
    }

    private void attempt(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                seen.add(String.valueOf(t.getMessage()));
                seen.add(t.toString());
            }
        }
    }

    @Test
    void noSecretAppearsAnywhere() {
        ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
        InMemoryAuditSink audit = AuditSink.inMemory();
        List<String> verifiers = new ArrayList<>();
        try (TokenEndpointStub endpoint = new TokenEndpointStub()) {
            OAuthClient client = OAuthClient.builder(endpoint.provider(), "app")
                    .clientSecret(CLIENT_SECRET)
                    .clock(clock)
                    .build();
            TokenStore store = TokenStore.inMemory(clock);
            TokenManager tokens = TokenManager.builder(client, store)
                    .clock(clock)
                    .sleeper(clock.sleeper())
                    .auditSink(audit)
                    .build();
            URI redirect = URI.create("http://127.0.0.1:1/callback");
            PendingAuthorization pending = client.authorizationUrl(redirect);
            verifiers.add(Secrets.register(SecretKind.CODE_VERIFIER, pending.codeVerifier()));

            // code exchange, with rotation on the following refresh
            endpoint.answer(TokenEndpointStub.newTokens(ACCESS, REFRESH));
            Credential first = tokens.authorize(
                    "crm", pending, URI.create(redirect + "?code=" + CODE + "&state=" + pending.state()));
            endpoint.answer(TokenEndpointStub.newTokens(ACCESS_2, REFRESH_2));
            Credential second = tokens.refreshAfterRejection("crm", first.version());
            seen.add(first.toString());
            seen.add(second.toString());
            seen.add(pending.toString());
            seen.add(client.toString());
            seen.add(tokens.toString());
            seen.add(new TokenGrant(ACCESS, REFRESH, null, null, java.util.Map.of()).toString());
            seen.add(
                    new TokenHttpResponse(200, "application/json", "{\"access_token\":\"" + ACCESS + "\"}").toString());

            // failures whose bodies echo secrets
            endpoint.answer(TokenEndpointStub.json(
                    400,
                    "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token " + REFRESH_2
                            + " was revoked\"}"));
            attempt(() -> tokens.refreshAfterRejection("crm", second.version()));
            attempt(() -> tokens.current("crm"));
            tokens.save("crm", second);
            endpoint.answer(aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<html>" + REFRESH_2 + " " + CLIENT_SECRET + "</html>"));
            attempt(() -> tokens.refreshAfterRejection("crm", 3));
            endpoint.answer(TokenEndpointStub.json(200, "{\"access_token\":\"" + ACCESS + "\",\"refresh_tok"));
            attempt(() -> tokens.refreshAfterRejection("crm", 3));
            endpoint.answer(aResponse().withStatus(503).withBody(REFRESH_2));
            attempt(() -> tokens.refreshAfterRejection("crm", 3));
            attempt(() -> client.exchange(pending, URI.create(redirect + "?code=" + CODE + "&state=wrong")));
            attempt(() ->
                    client.exchange(pending, URI.create(redirect + "?error=access_denied&state=" + pending.state())));

            // revocation
            endpoint.server.stubFor(
                    post(urlEqualTo("/revoke")).willReturn(aResponse().withStatus(200)));
            tokens.revoke("crm");
        }
        for (ILoggingEvent e : appender.list) {
            seen.add(e.getFormattedMessage());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                seen.add(t.getMessage());
            }
        }
        audit.events().forEach(e -> seen.add(e.toString()));
        assertThat(appender.list).isNotEmpty();
        assertThat(audit.events()).isNotEmpty();
        List<String> secrets = new ArrayList<>(List.of(CLIENT_SECRET, CODE, ACCESS, REFRESH, ACCESS_2, REFRESH_2));
        secrets.addAll(verifiers);
        for (String line : seen) {
            if (line != null) {
                for (String secret : secrets) {
                    assertThat(line).as("a log line, message or toString").doesNotContain(secret);
                }
            }
        }
    }
}
