package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
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
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A read of any length runs in constant memory: a forked JVM with a 32 MB heap reads three million generated
 * records through the governed read loop (drift check, access policy, checkpoint, READ audit event). A read
 * that kept something per record (every delivered id for the audit event, ~54 bytes a record) runs out of heap
 * long before the end. Long profile: {@code ./mvnw -B -Plong verify}.
 */
@Tag("long")
class SmallHeapReadTest {
    static final int RECORDS = 3_000_000;
    static final String HEAP = "-Xmx32m";

    @Test
    void threeMillionRecordsReadInA32MegabyteHeap() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        HEAP,
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        GeneratedRead.class.getName(),
                        Integer.toString(RECORDS))
                .redirectErrorStream(true)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        assertThat(child.waitFor(10, TimeUnit.MINUTES)).isTrue();
        lines.forEach(line -> System.out.println("[forked read] " + line));
        assertThat(child.exitValue()).as("the child's output: %s", lines).isZero();
        assertThat(lines).contains("delivered " + RECORDS + " withheld 0 quarantined 0");
        // The audit event counts every record and lists a bounded number of ids.
        assertThat(lines).contains("audit READ records " + RECORDS + " ids " + AuditEvent.MAX_RECORD_IDS);
    }

    /** The forked reader: prints the read's counts, and the heap in use after a GC at a few points. */
    public static final class GeneratedRead {
        private static final Schema CONTRACT = Schema.builder()
                .required("id", FieldType.STRING)
                .required("updated_at", FieldType.TIMESTAMP)
                .required("name", FieldType.STRING)
                .required("amount", FieldType.NUMBER)
                .build();
        private static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
        private static final int PAGE = 500;

        public static void main(String[] args) {
            int total = Integer.parseInt(args[0]);
            Connector generator = generator(total);
            try (Switchboard switchboard = Switchboard.builder()
                    .discoverConnectors(false)
                    .connector(generator)
                    .connection(ConnectionConfig.builder("gen")
                            .connector("generated")
                            .build())
                    .accessPolicy(AccessPolicy.allowAll())
                    .auditSink(event -> {
                        if (event.kind() == AuditEvent.Kind.READ) {
                            System.out.println("audit READ records " + event.recordCount() + " ids "
                                    + event.recordIds().size());
                        }
                    })
                    .build()) {
                AgentContext ctx = AgentContext.of(Principal.user("ana", "acme"));
                long seen = 0;
                try (RecordStream stream = switchboard.connection("gen").read(ctx, ReadRequest.of("rows"))) {
                    for (Record r : stream) {
                        seen++;
                        if (seen % (total / 4) == 0) {
                            System.out.println("at " + seen + " heap in use after GC " + usedAfterGc() + " bytes");
                        }
                    }
                    ReadCounts counts = stream.counts();
                    System.out.println("delivered " + counts.delivered() + " withheld " + counts.withheld()
                            + " quarantined " + counts.quarantined());
                }
            }
        }

        private static long usedAfterGc() {
            Runtime rt = Runtime.getRuntime();
            System.gc();
            return rt.totalMemory() - rt.freeMemory();
        }

        private static Connector generator(int total) {
            return new Connector() {
                @Override
                public ConnectorDescriptor descriptor() {
                    return ConnectorDescriptor.builder("generated").authKind(AuthKind.NONE).needsBaseUrl(false).stream(
                                    new StreamDescriptor("rows", CONTRACT, "id", "updated_at"))
                            .build();
                }

                @Override
                public ConnectorSession open(ConnectorContext context) {
                    return new ConnectorSession() {
                        @Override
                        public StreamReader openStream(StreamCall call) {
                            int[] next = {0};
                            return () -> {
                                int from = next[0];
                                int to = Math.min(total, from + PAGE);
                                List<Record> page = new ArrayList<>(to - from);
                                for (int i = from; i < to; i++) {
                                    page.add(row(i));
                                }
                                next[0] = to;
                                return new Page(page, to == total);
                            };
                        }

                        @Override
                        public ActionOutput execute(ActionCall call) {
                            throw new UnsupportedOperationException("read only");
                        }
                    };
                }
            };
        }

        private static Record row(int i) {
            String id = String.format("r%09d", i);
            return Record.builder().stream("rows")
                    .id(id)
                    .source(new RecordSource("generated", "gen", "row"))
                    .data(JsonObject.builder(4)
                            .put("id", id)
                            .put("updated_at", START.plusSeconds(i).toString())
                            .put("name", "customer number " + i)
                            .put("amount", i % 1000)
                            .build())
                    .build();
        }
    }
}
