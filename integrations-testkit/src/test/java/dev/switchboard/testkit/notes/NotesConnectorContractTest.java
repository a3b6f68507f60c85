package dev.switchboard.testkit.notes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.error.OutcomeUnknownException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.testkit.ConnectorContract;
import dev.switchboard.testkit.ErrorShape;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract suite run against a minimal connector, proving the suite and the fake base work. */
class NotesConnectorContractTest extends ConnectorContract {
    @RegisterExtension
    static final FakeNotes FAKE = new FakeNotes();

    @Override
    protected Connector connector() {
        return new NotesConnector();
    }

    @Override
    protected VendorFake fake() {
        return FAKE;
    }

    @Override
    protected String pagedStream() {
        return "notes";
    }

    @Override
    protected void seed(int records) {
        FAKE.seed(records);
    }

    @Override
    protected Map<String, JsonObject> actionInputs() {
        return Map.of("add_note", JsonObject.builder().put("text", "hello").build());
    }

    @Override
    protected List<ErrorShape> errorShapes() {
        return List.of(
                ErrorShape.onRead(
                        "expired token", "notes", FAKE::revokeAccessTokens, ReauthorizationRequiredException.class),
                // Truncated bodies are retried, then reported as transient.
                ErrorShape.onRead(
                        "truncated JSON", "notes", () -> FAKE.faults().truncates(100), TransientException.class),
                ErrorShape.onAction(
                        "502 on a write",
                        "add_note",
                        JsonObject.builder().put("text", "x").build(),
                        () -> FAKE.faults().serverErrors(1, 502),
                        OutcomeUnknownException.class));
    }

    @Test
    void theFakeCountsWhatItAnswered() {
        FAKE.faults().throttles(1);
        connection.read(context, dev.switchboard.core.ReadRequest.of("notes")).forEach(r -> {});
        assertThat(FAKE.responseCount(429)).isEqualTo(1);
        assertThat(FAKE.responseCount(200)).isEqualTo(1);
    }

    @Test
    void dataFaultsChangeWhatTheFakeRenders() {
        // An optional field dropped is no drift: the records still arrive, without it.
        FAKE.faults().drop("text");
        var records = new java.util.ArrayList<dev.switchboard.core.model.Record>();
        connection.read(context, dev.switchboard.core.ReadRequest.of("notes")).forEach(records::add);
        assertThat(records)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.data().has("text")).isFalse());

        // The cursor retyped: core stops the read before the first record, naming the field.
        FAKE.faults().retype("updated", new JsonString("yesterday"));
        var stream = connection.read(context, dev.switchboard.core.ReadRequest.of("notes"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stream.forEach(r -> {}))
                .isInstanceOfSatisfying(
                        dev.switchboard.core.error.SchemaDriftException.class,
                        e -> assertThat(e.drifts())
                                .extracting(d -> d.field() + " " + d.kind() + " " + d.observed())
                                .containsExactly("updated TYPE_CHANGED STRING"));
        stream.close();
    }
}
