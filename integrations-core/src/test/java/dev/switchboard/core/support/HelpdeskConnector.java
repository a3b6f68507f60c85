package dev.switchboard.core.support;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A small connector for tests: a help desk with an incremental {@code tickets} stream paged by
 * {@code next_page}, resumed with {@code after_updated}/{@code after_id} (and {@code events}, read the
 * same way, whose declared contract is lax about its key and cursor), tombstones for deleted tickets,
 * actions: {@code add_comment}, {@code create_ticket}, {@code delete_ticket} and {@code refund} write
 * (each reporting the ticket it touched; {@code refund} can be previewed), {@code count_tickets} reads;
 * and webhooks signed like Slack's ({@link HelpdeskWebhooks}). {@link HelpdeskFake} plays the vendor.
 */
public final class HelpdeskConnector implements Connector {
    public static final String ID = "helpdesk";

    static final JsonObject COMMENT_SCHEMA = (JsonObject) Json.parse("""
      {"type": "object",
       "properties": {"ticket_id": {"type": "string"}, "body": {"type": "string", "minLength": 1}},
       "required": ["ticket_id", "body"], "additionalProperties": false}""");

    static final JsonObject CREATE_SCHEMA = (JsonObject) Json.parse("""
      {"type": "object",
       "properties": {"subject": {"type": "string"}, "owner": {"type": "string"},
                      "visibility": {"enum": ["private", "team"]}},
       "required": ["subject"], "additionalProperties": false}""");

    static final JsonObject DELETE_SCHEMA = (JsonObject) Json.parse("""
      {"type": "object", "properties": {"ticket_id": {"type": "string"}},
       "required": ["ticket_id"], "additionalProperties": false}""");

    static final JsonObject REFUND_SCHEMA = (JsonObject) Json.parse("""
      {"type": "object",
       "properties": {"ticket_id": {"type": "string"}, "amount": {"type": "number", "minimum": 0}},
       "required": ["ticket_id", "amount"], "additionalProperties": false}""");

    @Override
    public ConnectorDescriptor descriptor() {
        return ConnectorDescriptor.builder(ID).stream(new StreamDescriptor(
                                "tickets",
                                Schema.builder()
                                        .required("id", FieldType.STRING)
                                        .required("updated_at", FieldType.TIMESTAMP)
                                        .optional("subject", FieldType.STRING)
                                        .optional("owner", FieldType.STRING)
                                        .optional("visibility", FieldType.STRING)
                                        .build(),
                                "id",
                                "updated_at")
                        // A deleted ticket is listed as a tombstone, at the time of the delete.
                        .withDeletes(true))
                .stream(new StreamDescriptor(
                        "agents",
                        Schema.builder().required("id", FieldType.STRING).build(),
                        "id",
                        null))
                // A lax declared contract: the cursor optional, the primary key not declared at all. Core's
                // key and cursor rule must hold regardless.
                .stream(new StreamDescriptor(
                        "events",
                        Schema.builder()
                                .optional("updated_at", FieldType.TIMESTAMP)
                                .optional("subject", FieldType.STRING)
                                .build(),
                        "id",
                        "updated_at"))
                .action(new ActionDescriptor(
                        "add_comment", "Adds a comment to a ticket", COMMENT_SCHEMA, Effect.WRITE, false))
                .action(new ActionDescriptor("create_ticket", "Opens a ticket", CREATE_SCHEMA, Effect.WRITE, false))
                .action(new ActionDescriptor(
                        "delete_ticket", "Deletes a ticket", DELETE_SCHEMA, Effect.DESTRUCTIVE, false))
                .action(new ActionDescriptor(
                        "refund", "Refunds the customer of a ticket", REFUND_SCHEMA, Effect.WRITE, false))
                .action(new ActionDescriptor(
                        "count_tickets",
                        "Counts tickets",
                        (JsonObject) Json.parse("{\"type\":\"object\"}"),
                        Effect.READ,
                        true))
                .build();
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        String connection = context.connection().id();
        return new ConnectorSession() {
            @Override
            public StreamReader openStream(StreamCall call) {
                return new TicketReader(call, connection);
            }

            /**
             * With the connection setting {@code describe=true}: {@code GET /schema/{stream}}, answering
             * {@code {"fields": [{"name", "type", "nullable", "required", "values"}]}}.
             */
            @Override
            public Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
                if (!"true".equals(context.connection().settings().get("describe"))) {
                    return Optional.empty();
                }
                JsonObject body = (JsonObject) http.execute(VendorRequest.get("/schema/" + stream.name())
                                .operation("describe " + stream.name())
                                .build())
                        .json();
                Schema.Builder b = Schema.builder();
                for (JsonValue v : body.array("fields")) {
                    JsonObject f = (JsonObject) v;
                    List<String> values = new ArrayList<>();
                    if (f.array("values") != null) {
                        f.array("values").forEach(x -> values.add(((dev.switchboard.core.json.JsonString) x).value()));
                    }
                    b.add(new Schema.Field(
                            f.string("name"),
                            FieldType.valueOf(f.string("type")),
                            Boolean.TRUE.equals(f.bool("nullable")),
                            Boolean.TRUE.equals(f.bool("required")),
                            new java.util.LinkedHashSet<>(values)));
                }
                return Optional.of(b.build());
            }

            @Override
            public WebhookOutcome webhook(WebhookCall call) {
                return HelpdeskWebhooks.verify(call, connection);
            }

            @Override
            public ActionOutput execute(ActionCall call) {
                if (call.action().name().equals("create_ticket")) {
                    JsonObject created = (JsonObject) call.http()
                            .execute(VendorRequest.post("/tickets")
                                    .operation("create_ticket")
                                    .jsonBody(call.input())
                                    .build())
                            .json();
                    return ActionOutput.of(
                            created,
                            RecordRef.changed("tickets", String.valueOf(created.string("id")))
                                    .withVersion(created.string("updated_at")));
                }
                if (call.action().name().equals("delete_ticket")) {
                    String id = String.valueOf(call.input().string("ticket_id"));
                    JsonObject out = (JsonObject) call.http()
                            .execute(VendorRequest.of("DELETE", "/tickets/" + id)
                                    .operation("delete_ticket")
                                    .build())
                            .json();
                    return ActionOutput.of(out, RecordRef.deleted("tickets", id));
                }
                if (call.action().name().equals("add_comment")) {
                    JsonObject out = (JsonObject) call.http()
                            .execute(VendorRequest.post("/comments")
                                    .operation("add_comment")
                                    .jsonBody(call.input())
                                    .build())
                            .json();
                    return ActionOutput.of(
                            out,
                            RecordRef.changed(
                                            "tickets",
                                            String.valueOf(call.input().string("ticket_id")))
                                    .withVersion(out.string("ticket_updated_at")));
                }
                if (call.action().name().equals("refund")) {
                    JsonObject out = (JsonObject) call.http()
                            .execute(VendorRequest.post("/refunds")
                                    .operation("refund")
                                    .jsonBody(call.input())
                                    .build())
                            .json();
                    return ActionOutput.of(
                            out,
                            RecordRef.changed(
                                    "tickets", String.valueOf(call.input().string("ticket_id"))));
                }
                return ActionOutput.of((JsonObject) call.http()
                        .execute(VendorRequest.get("/tickets/count")
                                .operation("count_tickets")
                                .build())
                        .json());
            }

            /**
             * {@code refund} says what it pays and to whom; {@code delete_ticket}'s summarizer fails (core must
             * fall back to the generic prompt); the rest give none.
             */
            @Override
            public Optional<String> summarize(ActionDescriptor action, JsonObject input) {
                return switch (action.name()) {
                    case "refund" ->
                        Optional.of("Refund "
                                + Objects.requireNonNull(input.get("amount")).toJson()
                                + " to the customer of help desk ticket " + input.string("ticket_id")
                                + " in connection " + connection);
                    case "delete_ticket" -> throw new IllegalStateException("a summarizer bug");
                    default -> Optional.empty();
                };
            }

            /** Previews {@code refund} from its input alone (no request); {@code add_comment} has no dry run. */
            @Override
            public ActionPreview dryRun(ActionCall call) {
                if (!call.action().name().equals("refund")) {
                    return ConnectorSession.super.dryRun(call);
                }
                String ticket = String.valueOf(call.input().string("ticket_id"));
                return new ActionPreview(
                        JsonObject.builder()
                                .put("ticket_id", ticket)
                                .put(
                                        "refund",
                                        Objects.requireNonNull(call.input().get("amount")))
                                .build(),
                        List.of(RecordRef.changed("tickets", ticket)));
            }
        };
    }

    private static final class TicketReader implements StreamReader {
        private final StreamCall call;
        private final String connection;
        private @Nullable String nextPage;
        private boolean first = true;

        TicketReader(StreamCall call, String connection) {
            this.call = call;
            this.connection = connection;
        }

        @Override
        public Page nextPage() {
            VendorRequest.Builder request = VendorRequest.get(
                            "/" + call.stream().name())
                    .operation("list " + call.stream().name());
            Position resume = call.resumeAfter();
            if (first && resume != null) {
                request.query("after_updated", resume.cursor()).query("after_id", resume.id());
            }
            if (nextPage != null) {
                request.query("page", nextPage);
            }
            // Push-down, as a vendor with an owner filter allows: only what the policy will keep.
            if (call.rowScope().identity() != null && call.rowScope().identity().userId() != null) {
                request.query("visible_to", call.rowScope().identity().userId());
            }
            first = false;
            JsonObject body = (JsonObject) call.http().execute(request.build()).json();
            List<Record> records = new ArrayList<>();
            for (JsonValue item : body.array("items")) {
                JsonObject data = (JsonObject) item;
                String owner = data.string("owner");
                // Lenient on purpose: drift tests send ids and cursors of other types, which core must catch.
                JsonValue id = data.get("id");
                String updated = data.string("updated_at");
                String deletedAt = data.string("deleted_at");
                if (deletedAt != null) {
                    // A tombstone: its key and cursor, no ACL (the vendor no longer knows whose it was).
                    records.add(Record.builder().stream(call.stream().name())
                            .id(String.valueOf(data.string("id")))
                            .source(new RecordSource(
                                    ID, connection, call.stream().name()))
                            .data(data)
                            .version(updated)
                            .deleted(Instant.parse(deletedAt))
                            .build());
                    continue;
                }
                records.add(Record.builder().stream(call.stream().name())
                        .id(
                                id instanceof dev.switchboard.core.json.JsonString text
                                        ? text.value()
                                        : String.valueOf(id == null ? "?" : id.toJson()))
                        .source(new RecordSource(ID, connection, call.stream().name()))
                        .data(data)
                        .updatedAt(updated == null ? null : Instant.parse(updated))
                        .version(updated)
                        .acl(
                                owner == null
                                        ? null
                                        : new Acl(
                                                owner,
                                                "acme",
                                                "team".equals(data.string("visibility"))
                                                        ? Visibility.TENANT
                                                        : Visibility.PRIVATE,
                                                Set.of()))
                        .build());
            }
            nextPage = body.string("next_page");
            return new Page(records, nextPage == null);
        }
    }
}
