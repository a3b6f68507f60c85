package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.oauth.store.JdbcTokenStore;
import dev.switchboard.oauth.support.InstanceMain;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.RotatingTokenEndpoint;
import dev.switchboard.oauth.support.TestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several application instances sharing one PostgreSQL: each with its own HTTP client and its own
 * connections, first as four TokenManagers in this JVM, then as four JVM processes. The token
 * endpoint rotates refresh tokens and revokes a grant whose spent refresh token comes back, so a
 * second instance refreshing would show: the refresh token is used exactly once.
 */
class MultiInstanceTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static RotatingTokenEndpoint endpoint;

    @BeforeAll
    static void start() {
        endpoint = new RotatingTokenEndpoint();
        endpoint.delayMillis(400); // a slow token endpoint keeps the race window wide open; nothing asserts on time
        Postgres.get();
    }

    @AfterAll
    static void stop() {
        endpoint.close();
    }

    private static TokenStore open(String prefix) {
        DataSource ds = Postgres.newDataSource();
        return JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), Clock.systemUTC(), prefix);
    }

    private static String seedExpired() {
        String prefix = "multi" + TABLES.incrementAndGet() + "_";
        TokenStore store = open(prefix);
        endpoint.grant(prefix + "refresh");
        store.compareAndSet(
                "crm",
                0,
                Credential.builder("expired-access")
                        .refreshToken(prefix + "refresh")
                        .expiresAt(Instant.now().minusSeconds(5))
                        .build());
        return prefix;
    }

    /** One refresh, by one instance, stored, and every caller got its access token. */
    private static void refreshedOnce(String prefix, Set<String> seen) {
        assertThat(endpoint.uses(prefix + "refresh")).isEqualTo(1);
        assertThat(endpoint.reused()).isEmpty();
        Credential stored = open(prefix).load("crm").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(endpoint.isCurrent(stored.refreshToken().orElseThrow())).isTrue();
        assertThat(seen).containsExactly(stored.accessToken());
    }

    @Test
    void fourManagersWithSeparateClientsAndConnectionsRefreshExactlyOnce() throws Exception {
        String prefix = seedExpired();
        List<TokenManager> managers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TokenStore store = open(prefix);
            managers.add(InstanceMain.sharedManager(store, endpoint.baseUrl(), "instance-" + i));
        }
        List<CompletableFuture<List<String>>> runs = new ArrayList<>();
        for (TokenManager m : managers) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return InstanceMain.callAll(m, 250);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Set<String> seen = new HashSet<>();
        int answers = 0;
        for (CompletableFuture<List<String>> run : runs) {
            List<String> got = run.get(120, TimeUnit.SECONDS);
            answers += got.size();
            seen.addAll(got);
        }
        assertThat(answers).isEqualTo(1000);
        refreshedOnce(prefix, seen);
    }

    @Test
    void fourJvmProcessesRefreshExactlyOnce() throws Exception {
        String prefix = seedExpired();
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                processes.add(new ProcessBuilder(
                                javaBin(),
                                "-Xmx256m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                InstanceMain.class.getName(),
                                "race",
                                Postgres.jdbcUrl(),
                                prefix,
                                endpoint.baseUrl(),
                                "250")
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process p : processes) {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertThat(readUntil(out, "READY")).contains("READY");
                outputs.add(out);
            }
            for (Process p : processes) { // all ready: start them together
                Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                w.write("GO\n");
                w.flush();
            }
            Set<String> seen = new HashSet<>();
            for (BufferedReader out : outputs) {
                for (String line : readUntil(out, "DONE")) {
                    if (line.startsWith("TOKEN ")) {
                        seen.add(line.substring(6));
                    }
                }
            }
            for (Process p : processes) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            refreshedOnce(prefix, seen);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<String> readUntil(BufferedReader out, String last) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.equals(last)) {
                return lines;
            }
        }
        return lines;
    }
}
