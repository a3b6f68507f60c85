package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.RawHttpServer;
import dev.switchboard.oauth.support.TokenEndpointStub;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import no.nav.security.mock.oauth2.http.Ssl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint's transport against a plain socket server that misbehaves the way real ones do:
 * closing idle keep-alive connections, hanging up after reading a request, dropping a TLS handshake.
 */
class TokenEndpointTransportTest {
    private static final String TOKENS =
            "{\"access_token\":\"a2\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"r2\"}";
    /** mock-oauth2-server's self-signed certificate (RSA, for localhost and 127.0.0.1): made once, it is slow. */
    private static final Ssl SSL = new Ssl();

    private final Credential current =
            Credential.builder("a1").refreshToken("r1").build();

    private static OAuthClient.Builder client(String baseUrl, OkHttpClient http) {
        return OAuthClient.builder(TokenEndpointStub.provider(baseUrl), "switchboard")
                .clientSecret("client-secret-value")
                .httpClient(http);
    }

    @Test
    void aConnectionIdleLongerThanTheTimeoutIsNotReused() throws Exception {
        // The server closes connections idle for 400 ms, the client's pool those idle for 50 ms.
        try (RawHttpServer server = RawHttpServer.closingIdleAfter(Duration.ofMillis(400), TOKENS)) {
            OAuthClient client = client(server.baseUrl(), new OkHttpClient())
                    .idleConnectionTimeout(Duration.ofMillis(50))
                    .build();
            assertThat(client.refresh(current).refreshToken()).contains("r2");
            RawHttpServer.Closed first = server.awaitConnectionEnd(Duration.ofSeconds(2));

            // Had the client kept it, the server would have closed it while idle, and the next refresh,
            // written into it, would end in "unexpected end of stream".
            assertThat(client.refresh(current).refreshToken()).contains("r2");
            assertThat(first).isEqualTo(RawHttpServer.Closed.BY_CLIENT);
            assertThat(server.requests()).isEqualTo(2);
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void aRequestThatMayHaveReachedTheServerIsNotResentAndTheCauseIsReportedAndLogged() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
        logs.start();
        ours.addAppender(logs);
        try (RawHttpServer server = RawHttpServer.droppingAfterRequest()) {
            OAuthClient client = client(server.baseUrl(), new OkHttpClient()).build();
            assertThatThrownBy(() -> client.refresh(current))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("unexpected end of stream")
                    .hasMessageContaining("may have reached");
            assertThat(server.requests()).isEqualTo(1);

            ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
            TokenStore store = TokenStore.inMemory(clock);
            store.compareAndSet("crm", 0, current);
            TokenManager tokens = TokenManager.builder(client, store)
                    .clock(clock)
                    .sleeper(clock.sleeper())
                    .maxAttempts(1)
                    .build();
            assertThatThrownBy(() -> tokens.refreshAfterRejection("crm", 1)).isInstanceOf(TransientException.class);
            assertThat(server.requests()).isEqualTo(2); // one more refresh, still not resent
        } finally {
            ours.detachAppender(logs);
        }
        assertThat(logs.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(line -> assertThat(line).contains("'crm'").contains("unexpected end of stream"));
    }

    @Test
    void aRequestThatNeverLeftIsSentOnceMore() throws Exception {
        try (RawHttpServer server = RawHttpServer.tlsDroppingHandshakes(SSL.sslContext(), 1, TOKENS)) {
            OAuthClient client = client(server.baseUrl(), trusting(SSL)).build();

            assertThat(client.refresh(current).refreshToken()).contains("r2");
            assertThat(server.connections()).isEqualTo(2); // the dropped handshake, then the resend
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void aRequestIsSentAtMostTwiceEvenIfItNeverLeaves() throws Exception {
        try (RawHttpServer server = RawHttpServer.tlsDroppingHandshakes(SSL.sslContext(), 10, TOKENS)) {
            OAuthClient client = client(server.baseUrl(), trusting(SSL)).build();

            assertThatThrownBy(() -> client.refresh(current))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("before the request was sent");
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.requests()).isZero();
        }
    }

    /** A client that trusts the test server's self-signed certificate (and nothing else). */
    private static OkHttpClient trusting(Ssl ssl) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore keys = ssl.getSslKeystore().getKeyStore();
        tmf.init(keys);
        X509TrustManager trust = (X509TrustManager) tmf.getTrustManagers()[0];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        return new OkHttpClient.Builder()
                .sslSocketFactory(context.getSocketFactory(), trust)
                .build();
    }
}
