package dev.switchboard.core.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.RefreshingCredentialSource;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.support.PipelineFixture;
import dev.switchboard.core.support.TokenEndpoint;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Runs the pipeline's noisiest paths (refresh and replay, retries, failures, secrets in URLs) with
 * every {@code dev.switchboard} logger at TRACE, and checks that no secret reaches a log line, an
 * exception message or a {@code toString()}.
 */
class LogRedactionTest {
    private static final String ACCESS_OLD = Secrets.register(SecretKind.ACCESS_TOKEN, "sekrit-access-old-8c1f");
    private static final String ACCESS_NEW = Secrets.register(SecretKind.ACCESS_TOKEN, "sekrit-access-new-77aa");
    private static final String REFRESH_OLD = Secrets.register(SecretKind.REFRESH_TOKEN, "sekrit-refresh-old-19de");
    private static final String REFRESH_NEW = Secrets.register(SecretKind.REFRESH_TOKEN, "sekrit-refresh-new-4b02");
    private static final String URL_SECRET = Secrets.register(SecretKind.OTHER_SECRET, "sekrit-in-url-5e5e");
    private static final List<String> SECRETS = List.of(ACCESS_OLD, ACCESS_NEW, REFRESH_OLD, REFRESH_NEW, URL_SECRET);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
    private Level levelBefore;

    @BeforeEach
    void capture() {
        levelBefore = ours.getLevel();
        ours.setLevel(Level.TRACE);
        captured.start();
        ours.addAppender(captured);
    }

    @AfterEach
    void release() {
        ours.detachAppender(captured);
        ours.setLevel(levelBefore);
    }

    @Test
    void noSecretInAnyLogLineExceptionOrToString() {
        PipelineFixture fixture = new PipelineFixture(server.baseUrl());
        TokenStore store = TokenStore.inMemory(fixture.clock);
        Credential original =
                Credential.builder(ACCESS_OLD).refreshToken(REFRESH_OLD).build();
        store.compareAndSet("test-conn", 0, original);
        fixture.credentials(RefreshingCredentialSource.of(
                store, new TokenEndpoint(server.baseUrl() + "/oauth/token"), fixture.meters));
        server.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(
                        okJson("{\"access_token\":\"" + ACCESS_NEW + "\",\"refresh_token\":\"" + REFRESH_NEW + "\"}")));
        server.stubFor(get(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_OLD))
                .willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlPathEqualTo("/items"))
                .withHeader("Authorization", equalTo("Bearer " + ACCESS_NEW))
                .willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlPathEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        VendorHttp http = fixture.http();

        List<Throwable> thrown = new ArrayList<>();
        thrown.add(catchThrowable(() -> http.execute(VendorRequest.get("/items")
                .query("access_token", URL_SECRET)
                .query("code", URL_SECRET)
                .build())));
        thrown.add(catchThrowable(() -> http.execute(
                VendorRequest.get("/reset").query("client_secret", URL_SECRET).build())));

        List<String> lines =
                captured.list.stream().map(LogRedactionTest::render).toList();
        // The scenario must have logged the paths we care about, or this test would prove nothing.
        assertThat(lines).anyMatch(l -> l.contains("refreshing and replaying once"));
        assertThat(lines).anyMatch(l -> l.contains("retrying in"));
        assertThat(lines).anyMatch(l -> l.contains("access_token=REDACTED"));
        assertThat(thrown).allSatisfy(t -> assertThat(t).isNotNull());

        String everything = String.join("\n", lines) + "\n"
                + thrown.stream().map(LogRedactionTest::stackTrace).collect(Collectors.joining("\n")) + "\n"
                + original + store.load("test-conn").orElseThrow();
        for (String secret : SECRETS) {
            assertThat(everything).as("secret %s leaked", secret).doesNotContain(secret);
        }
    }

    private static String render(ILoggingEvent e) {
        StringBuilder sb =
                new StringBuilder(e.getFormattedMessage()).append(' ').append(e.getMDCPropertyMap());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
