package dev.switchboard.examples;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
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
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A small connector for a made-up helpdesk API, written the way a real connector module would be.
 * It reads one stream, {@code tickets}, and runs one action, {@code add_comment}.
 *
 * <p>The vendor API it expects:
 * <ul>
 *   <li>{@code GET /api/tickets?limit=N} returns {@code {"tickets": [...], "next": "<page token>" | null}},
 *       tickets ordered by {@code updated_at}, then {@code id};
 *   <li>{@code cursor=<page token>} asks for the following page;
 *   <li>{@code updated_after=T&after_id=I} is its keyset filter: tickets with
 *       {@code updated_at > T OR (updated_at = T AND id > I)}, exactly the resume rule of
 *       {@link Position};
 *   <li>{@code POST /api/tickets/{id}/comments} with {@code {"body": ..., "public": ...}} creates a comment.
 * </ul>
 *
 * <p>It is found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/dev.switchboard.core.connector.Connector}. It keeps the standard response
 * classifier: this vendor's status codes mean what they say.
 */
public final class HelpdeskConnector implements Connector {
    /** The connector id connections name. */
    public static final String ID = "helpdesk";
    /** The connection setting naming the tenant every record belongs to. */
    public static final String TENANT_SETTING = "tenant";

    private static final int DEFAULT_PAGE_SIZE = 50;

    private static final JsonObject ADD_COMMENT_INPUT = (JsonObject) Json.parse("""
      {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {
          "ticket_id": {"type": "string", "pattern": "^T-[0-9]+$"},
          "body": {"type": "string", "minLength": 1, "maxLength": 2000},
          "public": {"type": "boolean"}
        },
        "required": ["ticket_id", "body"],
        "additionalProperties": false
      }
      """);

    private static final ConnectorDescriptor DESCRIPTOR =
            ConnectorDescriptor.builder(ID).authKind(AuthKind.BEARER).stream(new StreamDescriptor(
                            "tickets",
                            Schema.builder()
                                    .required("id", FieldType.STRING)
                                    .required("subject", FieldType.STRING)
                                    .required("status", FieldType.STRING)
                                    .required("updated_at", FieldType.TIMESTAMP)
                                    .required("visibility", FieldType.STRING)
                                    .optional("owner", FieldType.STRING)
                                    .optional("roles", FieldType.ARRAY)
                                    .optional("version", FieldType.STRING)
                                    .build(),
                            "id",
                            "updated_at"))
                    // Not retry-safe: the helpdesk ignores idempotency keys, so a lost answer must not cause a second
                    // comment.
                    .action(new ActionDescriptor(
                            "add_comment",
                            "Adds a comment to a helpdesk ticket",
                            ADD_COMMENT_INPUT,
                            Effect.WRITE,
                            false))
                    .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        String tenant = context.connection().settings().get(TENANT_SETTING);
        if (tenant == null || tenant.isBlank()) {
            // Fail when the Switchboard is built, not on the first read: every record's ACL needs it.
            throw new IllegalArgumentException(
                    "connection '" + context.connection().id() + "' needs the setting '" + TENANT_SETTING
                            + "' (the helpdesk account the records belong to)");
        }
        return new Session(context.connection().id(), tenant);
    }

    /** One connection's session. Stateless apart from its settings, so one instance serves every caller. */
    private record Session(String connection, String tenant) implements ConnectorSession {
        @Override
        public StreamReader openStream(StreamCall call) {
            int pageSize = call.request().pageSize() > 0 ? call.request().pageSize() : DEFAULT_PAGE_SIZE;
            return new TicketReader(this, call.http(), pageSize, call.resumeAfter());
        }

        @Override
        public ActionOutput execute(ActionCall call) {
            if (!call.action().name().equals("add_comment")) {
                throw new PermanentException(ID, "action " + call.action().name(), "this connector has no such action");
            }
            // The input already passed the action's JSON Schema, so ticket_id is "T-" and digits: safe in a path.
            String ticketId = call.input().string("ticket_id");
            JsonObject payload = JsonObject.builder()
                    .put("body", call.input().string("body"))
                    .put("public", Boolean.TRUE.equals(call.input().bool("public")))
                    .build();
            VendorResponse response = call.http()
                    .execute(VendorRequest.post("/api/tickets/" + ticketId + "/comments")
                            .operation("comments.create")
                            .jsonBody(payload)
                            .build());
            JsonObject created = object(response.json(), "action add_comment");
            JsonObject output = JsonObject.builder()
                    .put("comment_id", created.string("id"))
                    .put("ticket_id", ticketId)
                    .put("created_at", created.string("created_at"))
                    .build();
            // The comment changed the ticket: caches and memory must not serve the version before it.
            return ActionOutput.of(output, RecordRef.changed("tickets", String.valueOf(ticketId)));
        }

        Record toRecord(JsonObject ticket) {
            String id = ticket.string("id");
            String updatedAt = ticket.string("updated_at");
            if (id == null || updatedAt == null) {
                throw new PermanentException(ID, "read tickets", "a ticket lacks its id or updated_at");
            }
            return Record.builder().stream("tickets")
                    .id(id)
                    .source(new RecordSource(ID, connection, "ticket"))
                    .data(ticket)
                    .updatedAt(parseInstant(updatedAt))
                    .version(ticket.string("version"))
                    .acl(acl(ticket))
                    .build();
        }

        private Acl acl(JsonObject ticket) {
            Visibility visibility = switch (String.valueOf(ticket.string("visibility"))) {
                case "public" -> Visibility.PUBLIC;
                case "tenant" -> Visibility.TENANT;
                default -> Visibility.PRIVATE; // unknown values get the narrowest reading
            };
            JsonArray roles = ticket.array("roles");
            Set<String> roleNames = roles == null
                    ? Set.of()
                    : Set.copyOf(roles.stream()
                            .filter(JsonString.class::isInstance)
                            .map(r -> ((JsonString) r).value())
                            .toList());
            return new Acl(ticket.string("owner"), tenant, visibility, roleNames);
        }
    }

    /** Follows the vendor's page tokens within one read; a resumed read starts from the keyset filter. */
    private static final class TicketReader implements StreamReader {
        private final Session session;
        private final VendorHttp http;
        private final int pageSize;
        private final @Nullable Position resumeAfter;
        private @Nullable String nextPageToken;

        TicketReader(Session session, VendorHttp http, int pageSize, @Nullable Position resumeAfter) {
            this.session = session;
            this.http = http;
            this.pageSize = pageSize;
            this.resumeAfter = resumeAfter;
        }

        @Override
        public Page nextPage() {
            VendorRequest.Builder request = VendorRequest.get("/api/tickets")
                    .operation("tickets.list")
                    .query("limit", Integer.toString(pageSize));
            if (nextPageToken != null) {
                request.query("cursor", nextPageToken); // the token carries the filter of the first page
            } else if (resumeAfter != null) {
                request.query("updated_after", resumeAfter.cursor()).query("after_id", resumeAfter.id());
            }
            JsonObject body = object(http.execute(request.build()).json(), "read tickets");
            JsonArray tickets = body.array("tickets");
            if (tickets == null) {
                throw new PermanentException(ID, "read tickets", "the answer has no 'tickets' array");
            }
            List<Record> records = new ArrayList<>(tickets.size());
            for (JsonValue ticket : tickets) {
                records.add(session.toRecord(object(ticket, "read tickets")));
            }
            nextPageToken = body.string("next");
            return new Page(records, nextPageToken == null);
        }
    }

    private static JsonObject object(JsonValue value, String operation) {
        if (value instanceof JsonObject o) {
            return o;
        }
        throw new PermanentException(ID, operation, "expected a JSON object from the helpdesk, got " + value.type());
    }

    private static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new PermanentException(ID, "read tickets", "updated_at is not an ISO-8601 instant", e);
        }
    }
}
