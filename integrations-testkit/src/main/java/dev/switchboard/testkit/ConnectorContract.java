package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.SchemaDiff;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.VendorFake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every connector keeps, run against its vendor fake. Subclass it once per connector,
 * register the fake as a static {@code @RegisterExtension}, and answer the abstract methods. The
 * Switchboard under test runs in virtual time: vendor waits cost nothing and are still honoured.
 */
public abstract class ConnectorContract {
    protected final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    protected final AgentContext context = AgentContext.of(Principal.user("contract-user", "contract-tenant"));
    protected Switchboard switchboard;
    protected Connection connection;
    private FakeConnection harness;

    /** The connector under test. */
    protected abstract Connector connector();

    /** Its vendor's fake, registered as a static extension of the subclass. */
    protected abstract VendorFake fake();

    /** A stream the fake can serve over several pages. */
    protected abstract String pagedStream();

    /** Seeds the fake's {@link #pagedStream()} with {@code records} records, replacing what it held. */
    protected abstract void seed(int records);

    /** A valid input for every action the connector declares. */
    protected abstract Map<String, JsonObject> actionInputs();

    /** Every error shape of the vendor, each with the typed error it must become. */
    protected abstract List<ErrorShape> errorShapes();

    /** Records per page to ask for, so that a few records span several pages. */
    protected int pageSize() {
        return 2;
    }

    /** Connector-specific connection settings. */
    protected Map<String, String> connectionSettings() {
        return Map.of();
    }

    /** The HTTP settings of the connection under test: core's defaults with a short backoff. */
    protected HttpSettings httpSettings() {
        return HttpSettings.custom()
                .backoff(Duration.ofMillis(100), Duration.ofSeconds(10))
                .build();
    }

    /** The credential the connection starts with. */
    protected Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN).build();
    }

    @BeforeEach
    void openConnection() {
        harness = FakeConnection.to(fake(), connector().descriptor().id())
                .connectionId("contract")
                .connector(connector())
                .settings(connectionSettings())
                .credential(credential())
                .http(httpSettings())
                .clock(clock)
                .context(context)
                .build();
        switchboard = harness.switchboard();
        connection = harness.connection();
    }

    @AfterEach
    void closeConnection() {
        harness.close();
    }

    private List<Record> readAll(ReadRequest request) {
        return harness.readAll(request);
    }

    @Test
    void readsEveryRecordAcrossAtLeastThreePages() {
        int total = pageSize() * 3 + 1;
        seed(total);

        List<Record> records = readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()));

        assertThat(records).hasSize(total);
        assertThat(records).extracting(Record::id).doesNotHaveDuplicates();
        assertThat(records).allSatisfy(r -> {
            assertThat(r.stream()).isEqualTo(pagedStream());
            assertThat(r.source().connector())
                    .isEqualTo(connector().descriptor().id());
        });
        assertThat(fake().requests().size())
                .as("requests sent for %s records at %s a page", total, pageSize())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void aReadThatFailsMidwayResumesWithoutLossOrDuplicates() {
        int total = pageSize() * 3 + 1;
        seed(total);
        fake().faults().after(1).serverErrors(100, 503);
        List<String> delivered = new ArrayList<>();
        Checkpoint checkpoint;

        try (RecordStream stream =
                connection.read(context, ReadRequest.of(pagedStream()).pageSize(pageSize()))) {
            Throwable failure = catchThrowable(() -> stream.forEach(r -> delivered.add(r.id())));
            assertThat(failure).isInstanceOf(SwitchboardException.class);
            checkpoint = stream.checkpoint();
        }
        assertThat(delivered).hasSizeLessThan(total);

        fake().faults().clear();
        List<Record> rest =
                readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()).since(Checkpoint.parse(checkpoint.value())));
        rest.forEach(r -> delivered.add(r.id()));

        assertThat(delivered).doesNotHaveDuplicates().hasSize(total);
    }

    @Test
    void everyStreamDeclaresASchemaThatItsRecordsKeep() {
        seed(pageSize() * 2);
        for (StreamDescriptor stream : connector().descriptor().streams()) {
            assertThat(stream.schema().isEmpty())
                    .as("schema of %s", stream.name())
                    .isFalse();
            assertThat(stream.schema().field(stream.primaryKey()))
                    .as("primary key of %s", stream.name())
                    .isPresent();
            if (stream.cursorField() != null) {
                assertThat(stream.schema().field(stream.cursorField()))
                        .as("cursor of %s", stream.name())
                        .isPresent();
            }
        }
        StreamDescriptor paged = connector().descriptor().stream(pagedStream()).orElseThrow();
        List<Record> records = readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()));
        SchemaDiff diff = paged.schema()
                .diff(Schema.observe(records.stream().map(Record::data).toList()));
        assertThat(diff.breaking())
                .as("records of %s break its declared schema", pagedStream())
                .isEmpty();
    }

    @Test
    void incrementalReadsOfAnUnchangedStreamReturnNothingNew() {
        StreamDescriptor paged = connector().descriptor().stream(pagedStream()).orElseThrow();
        if (!paged.incremental()) {
            return;
        }
        seed(pageSize() * 2);
        Checkpoint checkpoint;
        Set<String> seen = new HashSet<>();
        try (RecordStream stream =
                connection.read(context, ReadRequest.of(pagedStream()).pageSize(pageSize()))) {
            stream.forEach(r -> seen.add(r.id() + "@" + r.version()));
            checkpoint = stream.checkpoint();
        }
        assertThat(checkpoint.positions()).isNotEmpty(); // one partition or several
        // A connector may re-read a look-back window before the checkpoint (at least once): nothing it
        // returns may be a record, or a version of one, the first read did not deliver.
        assertThat(readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()).since(checkpoint)))
                .extracting(r -> r.id() + "@" + r.version())
                .isSubsetOf(seen);
    }

    @TestFactory
    List<DynamicTest> everyActionRuns() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ActionDescriptor action : connector().descriptor().actions()) {
            tests.add(DynamicTest.dynamicTest(action.name(), () -> {
                JsonObject input = actionInputs().get(action.name());
                assertThat(input)
                        .as("actionInputs() has no input for %s", action.name())
                        .isNotNull();
                JsonObject given = Objects.requireNonNull(input, "asserted not null just above");
                assertThat(connection.execute(context, action.name(), given).output())
                        .isNotNull();
                assertThatThrownBy(() -> connection.execute(
                                context,
                                action.name(),
                                JsonObject.builder()
                                        .put("not_a_field_of_" + action.name(), true)
                                        .build()))
                        .as("%s accepts input its schema should refuse", action.name())
                        .isInstanceOf(InvalidInputException.class);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyErrorShapeBecomesItsTypedError() {
        seed(pageSize() * 2);
        List<DynamicTest> tests = new ArrayList<>();
        for (ErrorShape shape : errorShapes()) {
            tests.add(DynamicTest.dynamicTest(shape.toString(), () -> {
                // Each shape on a fresh connection: no breaker, budget or pause left behind by the last one.
                closeConnection();
                openConnection();
                fake().reset();
                seed(pageSize() * 2);
                shape.provoke().run();
                assertThatThrownBy(() -> shape.call().run(connection, context)).isInstanceOf(shape.expected());
            }));
        }
        return tests;
    }

    @Test
    void rateLimitingIsRecoveredWithoutAFailedCall() {
        seed(pageSize() * 3);
        fake().faults().throttles(2);

        List<Record> records = readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()));

        assertThat(records).hasSize(pageSize() * 3);
        assertThat(clock.totalSlept()).as("the vendor's wait was honoured").isPositive();
    }

    @Test
    void transientFaultsAreRetried() {
        seed(pageSize() * 2);
        fake().faults().resets(1).serverErrors(1, 503).truncates(1);

        assertThat(readAll(ReadRequest.of(pagedStream()).pageSize(pageSize()))).hasSize(pageSize() * 2);
    }
}
