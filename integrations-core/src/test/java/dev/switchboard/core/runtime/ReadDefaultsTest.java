package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadCounts;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a read does by default, and what it tells its caller: no default moves a checkpoint past records kept
 * nowhere durable, a read says how many records it delivered, withheld and quarantined, and the checkpoint
 * covers exactly the records handed over, however far {@code hasNext()} fetched ahead.
 */
class ReadDefaultsTest {
    private static final Schema CONTRACT = Schema.builder()
            .required("id", FieldType.STRING)
            .required("updated_at", FieldType.TIMESTAMP)
            .required("amount", FieldType.NUMBER)
            .build();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-05-01T10:00:00Z"));
    private final AgentContext ctx = AgentContext.of(Principal.user("ana", "acme"));
    /** Pages the reader answers, in order. */
    private final List<List<Record>> pages = new ArrayList<>();

    private int pagesServed;
    private Switchboard switchboard;

    @AfterEach
    void close() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private final Connector connector = new Connector() {
        @Override
        public ConnectorDescriptor descriptor() {
            return ConnectorDescriptor.builder("ledger").authKind(AuthKind.NONE).needsBaseUrl(false).stream(
                            new StreamDescriptor("entries", CONTRACT, "id", "updated_at"))
                    .build();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    Iterator<List<Record>> it = pages.iterator();
                    return () -> {
                        pagesServed++;
                        List<Record> page = it.next();
                        return new Page(page, !it.hasNext());
                    };
                }

                @Override
                public ActionOutput execute(ActionCall call) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    };

    private static Record entry(String id, String updatedAt, Object amount) {
        return Record.builder().stream("entries")
                .id(id)
                .source(new RecordSource("ledger", "ledger-acme", "entry"))
                .data(Json.objectFrom(Map.of("id", id, "updated_at", updatedAt, "amount", amount)))
                .build();
    }

    private Switchboard build(@Nullable DriftPolicy policy, @Nullable QuarantineStore store) {
        ConnectionConfig.Builder config =
                ConnectionConfig.builder("ledger-acme").connector("ledger");
        if (policy != null) {
            config.driftPolicy(policy);
        }
        Switchboard.Builder b = Switchboard.builder()
                .discoverConnectors(false)
                .connector(connector)
                .connection(config.build())
                .accessPolicy(AccessPolicy.allowAll())
                .clock(clock)
                .sleeper(clock.sleeper());
        if (store != null) {
            b.quarantineStore(store);
        }
        switchboard = b.build();
        return switchboard;
    }

    private ReadCounts readAll() {
        try (RecordStream stream = switchboard.connection("ledger-acme").read(ctx, ReadRequest.of("entries"))) {
            stream.forEach(r -> {});
            return stream.counts();
        }
    }

    @Test
    void withoutAQuarantineStoreTheDefaultReportsAndDeliversWhatBreaksTheContract() {
        pages.add(List.of(entry("e1", "2026-04-01T00:00:00Z", "twelve"), entry("e2", "2026-04-02T00:00:00Z", 3)));
        build(null, null);

        assertThat(switchboard.connection("ledger-acme").driftPolicy()).isEqualTo(DriftPolicy.REPORT);
        assertThat(readAll()).isEqualTo(new ReadCounts(2, 0, 0));
    }

    @Test
    void withAQuarantineStoreTheDefaultQuarantinesAndTheCountsSayWhenEverythingWasKeptAside() {
        pages.add(List.of(entry("e1", "2026-04-01T00:00:00Z", "twelve"), entry("e2", "2026-04-02T00:00:00Z", "three")));
        QuarantineStore store = QuarantineStore.inMemory();
        build(null, store);

        assertThat(switchboard.connection("ledger-acme").driftPolicy()).isEqualTo(DriftPolicy.QUARANTINE);
        // Nothing delivered, and the read says why instead of succeeding silently.
        assertThat(readAll()).isEqualTo(new ReadCounts(0, 0, 2));
        assertThat(store.count("ledger-acme", "entries")).isEqualTo(2);
    }

    @Test
    void askingToQuarantineWithoutAStoreFailsTheBuildSayingWhatToConfigure() {
        assertThatThrownBy(() -> build(DriftPolicy.QUARANTINE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no quarantine store is configured")
                .hasMessageContaining("quarantineStore(");
    }

    @Test
    void theCheckpointCoversTheRecordsHandedOverNotThoseHasNextFetchedAhead() {
        pages.add(List.of(entry("e1", "2026-04-01T00:00:00Z", 1), entry("e2", "2026-04-02T00:00:00Z", 2)));
        pages.add(List.of(entry("e3", "2026-04-03T00:00:00Z", 3)));
        build(null, null);

        try (RecordStream stream = switchboard.connection("ledger-acme").read(ctx, ReadRequest.of("entries"))) {
            Iterator<Record> it = stream.iterator();
            assertThat(it.next().id()).isEqualTo("e1");
            assertThat(it.hasNext()).isTrue(); // e2 is ready, not handed over
            assertThat(stream.checkpoint().position()).contains(Position.of("2026-04-01T00:00:00Z", "e1"));
            assertThat(it.next().id()).isEqualTo("e2");
            assertThat(it.hasNext()).isTrue(); // fetched the second page ahead
            assertThat(pagesServed).isEqualTo(2);
            assertThat(stream.checkpoint().position()).contains(Position.of("2026-04-02T00:00:00Z", "e2"));
            Checkpoint beforeLast = stream.checkpoint();
            assertThat(it.next().id()).isEqualTo("e3");
            assertThat(stream.checkpoint()).isNotEqualTo(beforeLast);
            assertThat(stream.counts()).isEqualTo(new ReadCounts(3, 0, 0));
        }
    }

    @Test
    void aRecordThatHasNextFetchedButNextNeverHandedOverIsNotInTheCheckpointAfterClose() {
        pages.add(List.of(entry("e1", "2026-04-01T00:00:00Z", 1), entry("e2", "2026-04-02T00:00:00Z", 2)));
        build(null, null);

        RecordStream stream = switchboard.connection("ledger-acme").read(ctx, ReadRequest.of("entries"));
        Iterator<Record> it = stream.iterator();
        assertThat(it.hasNext()).isTrue(); // e1 fetched, not handed over
        stream.close();
        assertThat(stream.checkpoint().position()).isEmpty();

        RecordStream again = switchboard.connection("ledger-acme").read(ctx, ReadRequest.of("entries"));
        it = again.iterator();
        assertThat(it.next().id()).isEqualTo("e1");
        assertThat(it.hasNext()).isTrue(); // e2 ready, never handed over: the caller stops here
        again.close();
        Checkpoint stored = again.checkpoint();

        assertThat(stored.position()).contains(Position.of("2026-04-01T00:00:00Z", "e1"));
        // The stored form, written by hand rather than read back through Checkpoint.parse: "v2." and the
        // unpadded base64url of {"s":stream,"f":the first 16 hex digits of SHA-256("{}"),"p":[[partition,cursor,id]]}.
        String json = new String(
                java.util.Base64.getUrlDecoder().decode(stored.value().substring("v2.".length())),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stored.value()).startsWith("v2.").doesNotContain("=");
        assertThat(json)
                .isEqualTo(
                        "{\"s\":\"entries\",\"f\":\"44136fa355b3678a\",\"p\":[[\"\",\"2026-04-01T00:00:00Z\",\"e1\"]]}");
    }
}
