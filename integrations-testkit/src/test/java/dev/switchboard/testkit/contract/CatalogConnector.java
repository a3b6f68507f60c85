package dev.switchboard.testkit.contract;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A small connector for testing the harness: stream {@code items} paged by {@code GET /items?page=N}
 * (answers {@code {"items": [...], "next": "2"}}), described by {@code GET /items/schema} (answers
 * {@code {"fields": [{"name", "type", "nullable", "required", "values"}]}}); stream {@code tags} has
 * no metadata.
 */
final class CatalogConnector implements Connector {
    static final Schema ITEMS = Schema.builder()
            .required("id", FieldType.STRING)
            .required("name", FieldType.STRING)
            .optional("price", FieldType.NUMBER)
            .optionalEnum("status", List.of("active", "retired"))
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return ConnectorDescriptor.builder("catalog").stream(new StreamDescriptor("items", ITEMS, "id", null)).stream(
                        new StreamDescriptor(
                                "tags",
                                Schema.builder()
                                        .required("id", FieldType.STRING)
                                        .build(),
                                "id",
                                null))
                .build();
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        String connection = context.connection().id();
        return new ConnectorSession() {
            @Override
            public StreamReader openStream(StreamCall call) {
                String stream = call.stream().name();
                return new StreamReader() {
                    private String page = "1";

                    @Override
                    public Page nextPage() {
                        VendorRequest.Builder request =
                                VendorRequest.get("/" + stream).query("page", page);
                        call.request().filter().forEach(request::query);
                        JsonObject body = (JsonObject)
                                call.http().execute(request.build()).json();
                        List<Record> records = new ArrayList<>();
                        for (JsonValue v : body.array(stream)) {
                            JsonObject item = (JsonObject) v;
                            // Lenient on purpose: drift tests send ids of other types, which core's read loop must stop
                            // on.
                            JsonValue id = item.get("id");
                            records.add(Record.builder().stream(stream)
                                    .id(id instanceof JsonString text ? text.value() : id == null ? "?" : id.toJson())
                                    .source(new RecordSource("catalog", connection, stream))
                                    .data(item)
                                    .build());
                        }
                        @Nullable String next = body.string("next");
                        page = next == null ? page : next;
                        return new Page(records, next == null);
                    }
                };
            }

            @Override
            public Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
                if (!stream.name().equals("items")) {
                    return Optional.empty();
                }
                JsonObject body = (JsonObject)
                        http.execute(VendorRequest.get("/items/schema").build()).json();
                Schema.Builder b = Schema.builder();
                for (JsonValue v : body.array("fields")) {
                    JsonObject f = (JsonObject) v;
                    List<String> values = new ArrayList<>();
                    if (f.array("values") != null) {
                        f.array("values").forEach(x -> values.add(((JsonString) x).value()));
                    }
                    b.add(new Schema.Field(
                            f.string("name"),
                            FieldType.valueOf(f.string("type")),
                            f.bool("nullable"),
                            f.bool("required"),
                            new java.util.LinkedHashSet<>(values)));
                }
                return Optional.of(b.build());
            }

            @Override
            public ActionOutput execute(ActionCall call) {
                throw new UnsupportedOperationException("no actions");
            }
        };
    }
}
