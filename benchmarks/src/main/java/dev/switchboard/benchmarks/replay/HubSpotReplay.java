package dev.switchboard.benchmarks.replay;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
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
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.VendorFake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * A full read of HubSpot contacts, recorded once from {@link FakeHubSpot} and replayed by a
 * {@link ReplayServer} in its own process: the Switchboard side and the raw OkHttp side then send the same
 * requests and receive the same bytes, answered as fast as a socket allows.
 *
 * <p>Two tapes: {@code warm}, the first read of a new Switchboard (it also asks for the stream's metadata), and
 * {@code op}, every later read: what one benchmark operation sends. The Switchboard runs on a clock fixed at
 * {@link #NOW}, so the search window a read asks for is the same every time (and the budget is sized so it
 * never needs to refill).
 */
public final class HubSpotReplay {
    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    public static final String CONNECTION = "hubspot-bench";
    public static final AgentContext CONTEXT = AgentContext.of(Principal.user("bench", "bench"));
    /** Sized never to be spent on a clock that does not move: the benchmark measures overhead, not limits. */
    static final BudgetSettings UNLIMITED = new BudgetSettings(1_000_000_000L, 1_000_000_000L, Duration.ofSeconds(1));

    private HubSpotReplay() {}

    /** Records both tapes for {@code records} contacts read {@code pageSize} a page; returns the files. */
    public static Path[] record(int records, int pageSize, Path dir) {
        try (FakeHubSpot fake = new FakeHubSpot()) {
            fake.start();
            fake.rateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                    .searchRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
                    .dailyLimit(Long.MAX_VALUE);
            fake.seed("contacts", records, Instant.parse("2026-05-01T00:00:00Z"), Duration.ofSeconds(1));
            TapeRecorder recorder = new TapeRecorder();
            OkHttpClient client =
                    new OkHttpClient.Builder().addInterceptor(recorder).build();
            Path warm = dir.resolve("hubspot-" + records + "-warm.tape");
            Path op = dir.resolve("hubspot-" + records + "-op.tape");
            try (Switchboard switchboard = switchboard(fake.baseUrl(), client)) {
                read(switchboard, pageSize, records);
                Tape first = recorder.tape();
                read(switchboard, pageSize, records);
                Tape both = recorder.tape();
                first.write(warm);
                new Tape(both.exchanges()
                                .subList(
                                        first.exchanges().size(),
                                        both.exchanges().size()))
                        .write(op);
            } finally {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
            return new Path[] {warm, op};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both tapes in one, for the server: the warm read's exchanges and the repeated read's. */
    public static Path serverTape(Path warm, Path op) {
        try {
            Tape w = Tape.read(warm);
            Tape o = Tape.read(op);
            java.util.List<Tape.Exchange> all = new java.util.ArrayList<>(w.exchanges());
            all.addAll(o.exchanges());
            Path file = Files.createTempFile("replay", ".tape");
            file.toFile().deleteOnExit();
            new Tape(all).write(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Switchboard with one HubSpot connection to {@code baseUrl}, on the fixed clock. */
    public static Switchboard switchboard(String baseUrl, @Nullable OkHttpClient client) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TokenStore tokens = TokenStore.inMemory(clock);
        tokens.compareAndSet(
                CONNECTION, 0, Credential.builder(VendorFake.ACCESS_TOKEN).build());
        Switchboard.Builder b = Switchboard.builder()
                .discoverConnectors(true)
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector("hubspot")
                        .baseUrl(baseUrl)
                        .settings(Map.of(HubSpotConnector.PORTAL_ID, "62515"))
                        .budget(UNLIMITED)
                        .build())
                .tokenStore(tokens)
                .clock(clock)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .auditSink(AuditSink.logging());
        if (client != null) {
            b.httpClient(client);
        }
        return b.build();
    }

    /** One full read; returns the number of records, and fails unless it is {@code expected}. */
    public static int read(Switchboard switchboard, int pageSize, int expected) {
        return read(switchboard, pageSize, expected, null);
    }

    /**
     * One full read, as {@link #read(Switchboard, int, int)}, adding the id of every record delivered to
     * {@code ids} when given.
     */
    public static int read(Switchboard switchboard, int pageSize, int expected, @Nullable ReadDigest ids) {
        int n = 0;
        try (RecordStream records = switchboard
                .connection(CONNECTION)
                .read(CONTEXT, ReadRequest.of("contacts").pageSize(pageSize))) {
            for (Record r : records) {
                if (ids != null) {
                    ids.add(r.id());
                }
                if (r.data().string("email") != null) {
                    n++;
                }
            }
        }
        if (n != expected) {
            throw new IllegalStateException("read " + n + " records with an email, expected " + expected);
        }
        return n;
    }
}
