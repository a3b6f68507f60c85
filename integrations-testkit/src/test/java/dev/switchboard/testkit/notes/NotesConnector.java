package dev.switchboard.testkit.notes;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import java.util.ArrayList;
import java.util.List;

/** The connector of {@link FakeNotes}, written the way a connector author would. */
final class NotesConnector implements Connector {
    @Override
    public ConnectorDescriptor descriptor() {
        return ConnectorDescriptor.builder("notes").stream(new StreamDescriptor(
                        "notes",
                        Schema.builder()
                                .required("id", FieldType.STRING)
                                .required("updated", FieldType.INTEGER)
                                .optional("text", FieldType.STRING)
                                .build(),
                        "id",
                        "updated"))
                .action(new ActionDescriptor(
                        "add_note",
                        "Adds a note",
                        (JsonObject) Json.parse(
                                "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"],"
                                        + "\"additionalProperties\":false}"),
                        Effect.WRITE,
                        false))
                .build();
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        String connection = context.connection().id();
        return new ConnectorSession() {
            @Override
            public StreamReader openStream(StreamCall call) {
                return new StreamReader() {
                    private String offset = "0";
                    private boolean done;

                    @Override
                    public Page nextPage() {
                        VendorRequest.Builder request = VendorRequest.get("/notes")
                                .query("offset", offset)
                                .query(
                                        "limit",
                                        String.valueOf(
                                                call.request().pageSize() == 0
                                                        ? 100
                                                        : call.request().pageSize()));
                        if (call.resumeAfter() != null) {
                            request.query("after_updated", call.resumeAfter().cursor())
                                    .query("after_id", call.resumeAfter().id());
                        }
                        JsonObject body = (JsonObject)
                                call.http().execute(request.build()).json();
                        List<Record> records = new ArrayList<>();
                        for (JsonValue v : body.array("notes")) {
                            JsonObject note = (JsonObject) v;
                            records.add(Record.builder().stream("notes")
                                    .id(note.string("id"))
                                    .source(new RecordSource("notes", connection, "note"))
                                    .data(note)
                                    .build());
                        }
                        offset = body.string("next_offset");
                        done = offset == null;
                        return new Page(records, done);
                    }
                };
            }

            @Override
            public ActionOutput execute(ActionCall call) {
                JsonObject created = (JsonObject) call.http()
                        .execute(VendorRequest.post("/notes")
                                .jsonBody(call.input())
                                .build())
                        .json();
                return ActionOutput.of(created, RecordRef.changed("notes", String.valueOf(created.string("id"))));
            }
        };
    }
}
