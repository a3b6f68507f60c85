package dev.switchboard.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.internal.http.SharedPipeline;
import dev.switchboard.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.CipherSuite;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS half of {@link TransportSecurity}, against real TLS servers on 127.0.0.1 (a JDK
 * {@link SSLServerSocket} whose protocols each test chooses, with a certificate made by {@code keytool} for
 * this run: no key is kept in the repository).
 *
 * <p>No test connects to a TLS 1.1-only server: this JDK (17, {@code jdk.tls.disabledAlgorithms}) cannot
 * run one, and enabling TLS 1.1 would mean changing a JVM-wide security property under every other test.
 * {@link #thePolicyOffersTls13And12OnlyWithForwardSecretAeadSuites} asserts instead that the client never
 * offers it.
 */
class TlsPolicyTest {
    private static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    static Path dir;

    private static SSLContext serverContext;
    private static SSLContext clientContext;
    private static X509TrustManager trust;
    private TlsServer server;

    @BeforeAll
    static void certificate() throws Exception {
        Path store = dir.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "localhost",
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        store.toString(),
                        "-storepass",
                        new String(PASSWORD))
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("localhost", keys.getCertificate("localhost"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        trust = (X509TrustManager) tmf.getTrustManagers()[0];
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A client as Switchboard builds its own: the policy's specs, trusting this run's certificate. */
    private static OkHttpClient policyClient() {
        return new OkHttpClient.Builder()
                .connectionSpecs(TransportSecurity.connectionSpecs())
                .sslSocketFactory(clientContext.getSocketFactory(), trust)
                .build();
    }

    private TlsVersion negotiated(String... serverProtocols) throws Exception {
        server = new TlsServer(serverContext, serverProtocols);
        try (Response r = policyClient()
                .newCall(new Request.Builder()
                        .url("https://localhost:" + server.port() + "/")
                        .build())
                .execute()) {
            assertThat(r.body().string()).isEqualTo("ok");
            return r.handshake().tlsVersion();
        }
    }

    @Test
    void thePolicyOffersTls13And12OnlyWithForwardSecretAeadSuites() {
        List<ConnectionSpec> specs = TransportSecurity.connectionSpecs();
        assertThat(specs).contains(ConnectionSpec.CLEARTEXT).hasSize(2);
        ConnectionSpec tls =
                specs.stream().filter(ConnectionSpec::isTls).findFirst().orElseThrow();
        assertThat(tls.tlsVersions()).containsExactly(TlsVersion.TLS_1_3, TlsVersion.TLS_1_2);
        assertThat(tls.cipherSuites()).isNotEmpty().allSatisfy(suite -> {
            String name = suite.javaName();
            // TLS 1.3's own suites, or TLS 1.2 with ECDHE and an AEAD cipher: no CBC, no static RSA, no SHA-1 MAC.
            assertThat(name.startsWith("TLS_AES_")
                            || name.startsWith("TLS_CHACHA20_")
                            || (name.startsWith("TLS_ECDHE_") && (name.contains("_GCM_") || name.contains("CHACHA20"))))
                    .as(name)
                    .isTrue();
        });
        assertThat(tls.cipherSuites()).contains(CipherSuite.TLS_AES_128_GCM_SHA256);
    }

    @Test
    void aTls12OnlyServerIsAccepted() throws Exception {
        assertThat(negotiated("TLSv1.2")).isEqualTo(TlsVersion.TLS_1_2);
    }

    @Test
    void aTls13OnlyServerIsAccepted() throws Exception {
        assertThat(negotiated("TLSv1.3")).isEqualTo(TlsVersion.TLS_1_3);
    }

    @Test
    void tls13IsNegotiatedWhenTheServerOffersBoth() throws Exception {
        assertThat(negotiated("TLSv1.2", "TLSv1.3")).isEqualTo(TlsVersion.TLS_1_3);
    }

    @Test
    void theSwitchboardsOwnClientUsesThePolicy() {
        SharedPipeline pipeline = new SharedPipeline(
                null,
                new SimpleMeterRegistry(),
                ManualClock.at(Instant.parse("2026-03-01T12:00:00Z")),
                ManualClock.at(Instant.parse("2026-03-01T12:00:00Z")).sleeper(),
                RateBudgetStore.inMemory());
        try {
            assertThat(pipeline.client().connectionSpecs()).isEqualTo(TransportSecurity.connectionSpecs());
        } finally {
            pipeline.close();
        }
    }

    @Test
    void anApplicationClientAllowingTlsBelow12IsRefusedWhenTheSwitchboardIsBuilt() {
        OkHttpClient compatible = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.COMPATIBLE_TLS, ConnectionSpec.CLEARTEXT))
                .build();

        assertThatThrownBy(() -> dev.switchboard.core.Switchboard.builder()
                        .discoverConnectors(false)
                        .httpClient(compatible)
                        .build())
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("Switchboard.Builder.httpClient")
                .hasMessageContaining("TLSv1.1")
                .hasMessageContaining("TransportSecurity.connectionSpecs()");
    }

    @Test
    void anApplicationClientWithModernSpecsIsKeptAsItIs() {
        OkHttpClient modern = new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS))
                .build();
        TransportSecurity.requireModernTls(modern, "a test"); // OkHttp's default specs pass too
        TransportSecurity.requireModernTls(new OkHttpClient(), "a test");
        assertThatThrownBy(() -> TransportSecurity.requireModernTls(
                        new OkHttpClient.Builder()
                                .connectionSpecs(List.of(new ConnectionSpec.Builder(ConnectionSpec.MODERN_TLS)
                                        .allEnabledTlsVersions()
                                        .build()))
                                .build(),
                        "a test"))
                .isInstanceOf(InsecureTransportException.class)
                .hasMessageContaining("every version the JVM enables");
    }

    /** Answers every connection with {@code 200 ok} over TLS restricted to the given protocols. */
    private static final class TlsServer implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread acceptor;

        TlsServer(SSLContext context, String... protocols) throws Exception {
            socket = (SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            socket.setEnabledProtocols(protocols);
            acceptor = new Thread(this::serve, "tls-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                        // the request's headers; there is no body
                    }
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    // a refused handshake or the socket closed: next connection
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            acceptor.join(5000);
        }
    }
}
