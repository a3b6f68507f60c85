package dev.switchboard.oauth.support;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialListener;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.oauth.TokenManager;
import dev.switchboard.oauth.store.EncryptedFileTokenStore;
import dev.switchboard.oauth.store.JdbcTokenStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A separate application instance, run by tests as its own JVM:
 * <ul>
 *   <li>{@code race <jdbcUrl> <tablePrefix> <tokenBaseUrl> <callers>}: waits for "GO" on stdin, then
 *       {@code callers} threads ask for the token at once; prints {@code TOKEN <value>} per distinct
 *       token, then {@code DONE}.
 *   <li>{@code loop <file> <tokenBaseUrl>}: refreshes forever, printing {@code STORED <version>} after
 *       each stored refresh (until killed).
 *   <li>{@code rotate <file> <tokenBaseUrl> <rounds>}: waits for "GO", then {@code rounds} times replaces the
 *       credential it holds, sharing the token file (and its leases) with other processes; prints
 *       {@code STORED <version>} for each refresh this process stored, then {@code DONE}.
 * </ul>
 */
public final class InstanceMain {
    private InstanceMain() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "race" -> race(args[1], args[2], args[3], Integer.parseInt(args[4]));
            case "loop" -> loop(Path.of(args[1]), args[2]);
            case "rotate" -> rotate(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    public static TokenManager sharedManager(TokenStore store, String tokenBaseUrl, String instanceId) {
        return TokenManager.builder(TokenEndpointStub.client(tokenBaseUrl), store)
                .sharedStore(true)
                .instanceId(instanceId)
                .lease(Duration.ofSeconds(20), Duration.ofMillis(20), Duration.ofSeconds(60))
                .sleeper(Sleeper.system())
                .build();
    }

    private static void race(String jdbcUrl, String prefix, String tokenBaseUrl, int callers) throws Exception {
        DataSource ds = Postgres.dataSource(jdbcUrl);
        TokenStore store = JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), Clock.systemUTC(), prefix);
        TokenManager tokens = sharedManager(
                store, tokenBaseUrl, "process-" + ProcessHandle.current().pid());
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(in.readLine())) {
            System.exit(2);
        }
        Set<String> seen = new TreeSet<>(callAll(tokens, callers));
        seen.forEach(t -> System.out.println("TOKEN " + t));
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    /** Every caller asks for the token at once; returns what each got. */
    public static List<String> callAll(TokenManager tokens, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(callers, 64));
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> tokens.current("crm").accessToken()));
            }
            List<String> tokensSeen = new ArrayList<>();
            for (Future<String> f : results) {
                tokensSeen.add(f.get(90, TimeUnit.SECONDS));
            }
            return tokensSeen;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void rotate(Path file, String tokenBaseUrl, int rounds) throws Exception {
        TokenStore store = EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC());
        TokenManager tokens = TokenManager.builder(TokenEndpointStub.client(tokenBaseUrl), store)
                .sharedStore(true)
                .instanceId("process-" + ProcessHandle.current().pid())
                .lease(Duration.ofSeconds(20), Duration.ofMillis(5), Duration.ofSeconds(60))
                .listener(new CredentialListener() {
                    @Override
                    public void refreshed(String key, long version) {
                        System.out.println("STORED " + version);
                    }
                })
                .build();
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (!"GO".equals(in.readLine())) {
            System.exit(2);
        }
        for (int i = 0; i < rounds; i++) {
            Credential c = tokens.current("crm");
            tokens.refreshAfterRejection("crm", c.version());
        }
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }

    private static void loop(Path file, String tokenBaseUrl) {
        TokenStore store = EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC());
        TokenManager tokens = TokenManager.builder(TokenEndpointStub.client(tokenBaseUrl), store)
                .build();
        while (true) {
            Credential c = tokens.current("crm");
            Credential next = tokens.refreshAfterRejection("crm", c.version());
            System.out.println("STORED " + next.version());
            System.out.flush();
        }
    }
}
