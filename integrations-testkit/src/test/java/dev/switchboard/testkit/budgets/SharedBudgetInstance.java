package dev.switchboard.testkit.budgets;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.RateBudgetStore;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.support.Databases;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One instance of an application, in a process of its own, for {@link SharedBudgetInstancesTest}: arguments
 * {@code vendorUrl jdbcUrl table store threads callsPerThread capacity permits periodMillis}, where
 * {@code store} is {@code postgres} or {@code memory}. Warms up on a budget of its own against
 * {@code vendorUrl/warm}, prints {@code READY}, waits for a line on stdin, then makes its calls through the
 * real pipeline and prints {@code DONE ok=<n> failed=<n>}.
 */
public final class SharedBudgetInstance {
    private SharedBudgetInstance() {}

    public static void main(String[] args) throws Exception {
        String vendorUrl = args[0];
        String jdbcUrl = args[1];
        String table = args[2];
        boolean shared = args[3].equals("postgres");
        int threads = Integer.parseInt(args[4]);
        int calls = Integer.parseInt(args[5]);
        BudgetSettings budget = new BudgetSettings(
                Long.parseLong(args[6]), Long.parseLong(args[7]), Duration.ofMillis(Long.parseLong(args[8])));

        PGSimpleDataSource physical = new PGSimpleDataSource();
        physical.setUrl(jdbcUrl);
        physical.setUser("postgres");
        RateBudgetStore store = shared
                ? RateBudgetStore.postgres(Databases.pooled(physical))
                        .table(table)
                        .build()
                : RateBudgetStore.inMemory();
        Switchboard sb = Switchboard.builder()
                .discoverConnectors(false)
                .connector(new PingConnector())
                .connection(ConnectionConfig.builder("pinger")
                        .connector(PingConnector.ID)
                        .baseUrl(vendorUrl)
                        .budget(budget)
                        .build())
                .connection(ConnectionConfig.builder(
                                "warm-up-" + ProcessHandle.current().pid())
                        .connector(PingConnector.ID)
                        .baseUrl(vendorUrl + "/warm")
                        .budget(BudgetSettings.of(100_000, Duration.ofSeconds(1)))
                        .build())
                .accessPolicy(AccessPolicy.allowAll())
                .rateBudgetStore(store)
                .build();
        AgentContext ctx = AgentContext.of(Principal.user("instance", "acme"));

        // Warm-up: class loading and the first compilations of the whole path, outside the measured run.
        run(
                threads,
                20,
                () -> sb.connection("warm-up-" + ProcessHandle.current().pid())
                        .execute(ctx, "ping", JsonObject.empty()));
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

        int[] counts = run(threads, calls, () -> sb.connection("pinger").execute(ctx, "ping", JsonObject.empty()));
        System.out.println("DONE ok=" + counts[0] + " failed=" + counts[1]);
        System.out.flush();
        sb.close();
        System.exit(0);
    }

    /** {@code calls} calls on each of {@code threads} threads; returns {ok, failed}. */
    private static int[] run(int threads, int calls, Runnable call) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < calls; i++) {
                    try {
                        call.run();
                        ok.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        System.err.println("call failed: " + e);
                    }
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        return new int[] {ok.get(), failed.get()};
    }
}
