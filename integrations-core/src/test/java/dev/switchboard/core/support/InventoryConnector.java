package dev.switchboard.core.support;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.ChangeCall;
import dev.switchboard.core.connector.ChangeReader;
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
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.model.Visibility;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A connector that needs no HTTP: the stock levels an application keeps in its own database, read
 * through the {@link DataSource} it hands to the Switchboard as a resource
 * ({@code Switchboard.builder().resource("inventory-db", dataSource)}), named by the connection's setting
 * {@value #DATA_SOURCE}. See {@link Inventory} for the table.
 *
 * <ul>
 *   <li>Stream {@code stock}: one record per item, partitioned by warehouse, ordered within a warehouse
 *       by {@code updated_at} then id, each record positioned in its warehouse. A soft-deleted item
 *       ({@code deleted_at} set) is read as a tombstone. With the setting {@value #LOOKBACK} (an ISO-8601
 *       duration) a resumed warehouse is read again from that long before its position, for writers
 *       whose transactions commit after a later one was read; the records at or before the position come
 *       as overlap. The filter {@code warehouse} reads one warehouse.
 *   <li>Changes are pushed: every write to a row takes the next value of a database sequence
 *       ({@code change_seq}), and the change reader follows it. An acknowledgement is recorded in
 *       {@code feed_confirmations} under the connection id, so the application can purge tombstones every
 *       feed has confirmed.
 *   <li>Action {@code adjust_stock} ({@code id}, {@code delta}) changes a quantity and reports the item.
 * </ul>
 */
public final class InventoryConnector implements Connector {
    public static final String ID = "inventory";
    /** Setting: the name of the {@link DataSource} resource. */
    public static final String DATA_SOURCE = "dataSource";
    /** Setting: how far before its position a resumed warehouse is read again (ISO-8601), none by default. */
    public static final String LOOKBACK = "lookback";
    /** Setting: the tenant every item belongs to. */
    public static final String TENANT = "tenant";

    private static final String STOCK = "stock";
    private static final String COLUMNS = "id, warehouse, quantity, updated_at, deleted_at, change_seq";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .authKind(AuthKind.NONE) // the application's DataSource is already logged in
            .needsBaseUrl(false) // no HTTP: every call goes through the resource
            .stream(new StreamDescriptor(
                            STOCK,
                            Schema.builder()
                                    .required("id", FieldType.STRING)
                                    .required("warehouse", FieldType.STRING)
                                    .required("quantity", FieldType.INTEGER)
                                    .required("updated_at", FieldType.TIMESTAMP)
                                    .build(),
                            "id",
                            "updated_at")
                    .withDescription("The quantity of one item in one warehouse, by warehouse and last change")
                    .withDeletes(true)
                    .withPushedChanges(true))
            .action(new ActionDescriptor(
                    "adjust_stock",
                    "Adds delta (negative to remove) to an item's quantity",
                    (JsonObject) Json.parse("""
                            {"type": "object",
                             "properties": {"id": {"type": "string"}, "delta": {"type": "integer"}},
                             "required": ["id", "delta"], "additionalProperties": false}"""),
                    Effect.WRITE,
                    false))
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        Map<String, String> settings = context.connection().settings();
        String resource = settings.get(DATA_SOURCE);
        if (resource == null) {
            throw new IllegalArgumentException(
                    "connection '" + context.connection().id() + "' names no " + DATA_SOURCE
                            + " setting: the resource of the inventory database");
        }
        DataSource database = context.resource(resource, DataSource.class);
        Duration lookback = Duration.parse(settings.getOrDefault(LOOKBACK, "PT0S"));
        String tenant = settings.getOrDefault(TENANT, context.connection().id());
        return new InventorySession(database, context.connection().id(), lookback, tenant, context.clock());
    }

    private record InventorySession(
            DataSource database, String connection, Duration lookback, String tenant, Clock clock)
            implements ConnectorSession {
        @Override
        public StreamReader openStream(StreamCall call) {
            return new StockReader(this, call);
        }

        @Override
        public ChangeReader changes(ChangeCall call) {
            return new StockChanges(this, call.resumeAfter().get(Position.SINGLE));
        }

        @Override
        public ActionOutput execute(ActionCall call) {
            String id = String.valueOf(call.input().string("id"));
            long delta = Objects.requireNonNull(call.input().number("delta")).longValueExact();
            Instant now = clock.instant();
            try (Connection c = database.getConnection();
                    PreparedStatement update = c.prepareStatement("UPDATE stock SET quantity = quantity + ?,"
                            + " updated_at = ? WHERE id = ? AND deleted_at IS NULL")) {
                update.setLong(1, delta);
                update.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                update.setString(3, id);
                if (update.executeUpdate() == 0) {
                    throw new InvalidInputException(ID, "adjust_stock", "no item '" + id + "' is in stock");
                }
            } catch (SQLException e) {
                throw failed("adjust_stock", e);
            }
            return ActionOutput.of(
                    JsonObject.builder().put("id", id).put("delta", delta).build(),
                    RecordRef.changed(STOCK, id).withVersion(now.toString()));
        }

        /** A row as a record (a tombstone when it is soft-deleted), and the change sequence it was last written at. */
        Record record(ResultSet row) throws SQLException {
            String id = row.getString("id");
            Instant updated = row.getObject("updated_at", OffsetDateTime.class).toInstant();
            OffsetDateTime deleted = row.getObject("deleted_at", OffsetDateTime.class);
            Record.Builder b = Record.builder().stream(STOCK)
                    .id(id)
                    .source(new RecordSource(ID, connection, STOCK))
                    .updatedAt(updated)
                    .version(updated.toString())
                    .acl(new Acl(null, tenant, Visibility.TENANT, Set.of()));
            if (deleted != null) {
                return b.data(JsonObject.builder()
                                .put("id", id)
                                .put("updated_at", updated.toString())
                                .build())
                        .deleted(deleted.toInstant())
                        .build();
            }
            return b.data(JsonObject.builder()
                            .put("id", id)
                            .put("warehouse", row.getString("warehouse"))
                            .put("quantity", row.getLong("quantity"))
                            .put("updated_at", updated.toString())
                            .build())
                    .build();
        }
    }

    /** Reads warehouse after warehouse; within one, pages of rows after the last one read. */
    private static final class StockReader implements StreamReader {
        private final InventorySession session;
        private final StreamCall call;
        private final Deque<String> warehouses = new ArrayDeque<>();
        private final int pageSize;
        private boolean listed;
        private @Nullable String warehouse;
        /** Where the warehouse resumes: records at or before it are overlap. */
        private @Nullable Position resume;
        /** The last row read in the warehouse, or null before its first page. */
        private @Nullable Position last;

        StockReader(InventorySession session, StreamCall call) {
            this.session = session;
            this.call = call;
            this.pageSize = call.request().pageSize() > 0 ? call.request().pageSize() : 100;
            for (String field : call.request().filter().keySet()) {
                if (!field.equals("warehouse")) {
                    throw new InvalidInputException(
                            ID, "read stock", "stock can be filtered by warehouse only, not by '" + field + "'");
                }
            }
        }

        @Override
        public Page nextPage() {
            try (Connection c = session.database().getConnection()) {
                if (!listed) {
                    warehouses.addAll(warehouses(c));
                    listed = true;
                }
                while (true) {
                    if (warehouse == null) {
                        if (warehouses.isEmpty()) {
                            return Page.builder().build(true);
                        }
                        warehouse = warehouses.poll();
                        resume = call.resumeAfter(warehouse);
                        last = null;
                    }
                    Page page = page(c, warehouse);
                    if (page.last() && page.records().isEmpty()) {
                        warehouse = null; // nothing (more) here: on to the next warehouse
                        continue;
                    }
                    if (!page.last()) {
                        return page;
                    }
                    warehouse = null;
                    return new Page(page.records(), page.positions(), warehouses.isEmpty());
                }
            } catch (SQLException e) {
                throw failed("read stock", e);
            }
        }

        private List<String> warehouses(Connection c) throws SQLException {
            String only = call.request().filter().get("warehouse");
            if (only != null) {
                return List.of(only);
            }
            List<String> names = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT warehouse FROM stock ORDER BY warehouse");
                    ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            return names;
        }

        /** One page of a warehouse; {@code last} when the warehouse has no more rows. */
        private Page page(Connection c, String warehouse) throws SQLException {
            Position from = last != null ? last : resume;
            boolean lookingBack =
                    last == null && resume != null && !session.lookback().isZero();
            String where = from == null
                    ? ""
                    : lookingBack ? " AND updated_at >= ?" : " AND (updated_at > ? OR (updated_at = ? AND id > ?))";
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM stock WHERE warehouse = ?"
                    + where + " ORDER BY updated_at, id LIMIT ?")) {
                int i = 1;
                s.setString(i++, warehouse);
                if (from != null) {
                    Instant cursor = Instant.parse(from.cursor());
                    if (lookingBack) {
                        s.setObject(i++, utc(cursor.minus(session.lookback())));
                    } else {
                        s.setObject(i++, utc(cursor));
                        s.setObject(i++, utc(cursor));
                        s.setString(i++, from.id());
                    }
                }
                s.setInt(i, pageSize + 1);
                Page.Builder page = Page.builder();
                boolean more = false;
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        if (page.size() == pageSize) {
                            more = true;
                            break;
                        }
                        Record r = session.record(rows);
                        Position at = Position.in(warehouse, r.data().string("updated_at"), r.id());
                        if (resume != null && !after(at, resume)) {
                            page.addOverlap(r); // read again from the look-back: the checkpoint stays put
                        } else {
                            page.add(r, at);
                        }
                        last = at;
                    }
                }
                return page.build(!more);
            }
        }

        private static boolean after(Position p, Position q) {
            int byCursor = Instant.parse(p.cursor()).compareTo(Instant.parse(q.cursor()));
            return byCursor > 0 || (byCursor == 0 && p.id().compareTo(q.id()) > 0);
        }
    }

    /** Follows the change sequence: each row written since the last acknowledged one, in sequence order. */
    private static final class StockChanges implements ChangeReader {
        private final InventorySession session;
        private long after;

        StockChanges(InventorySession session, @Nullable Position resumeAfter) {
            this.session = session;
            this.after = resumeAfter == null ? 0 : Long.parseLong(resumeAfter.cursor());
        }

        @Override
        public List<ChangeEvent> poll(Duration maxWait) throws InterruptedException {
            List<ChangeEvent> events = new ArrayList<>();
            try (Connection c = session.database().getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "SELECT " + COLUMNS + " FROM stock WHERE change_seq > ? ORDER BY change_seq LIMIT 100")) {
                s.setLong(1, after);
                try (ResultSet rows = s.executeQuery()) {
                    while (rows.next()) {
                        long seq = rows.getLong("change_seq");
                        Record r = session.record(rows);
                        events.add(ChangeEvent.of(
                                session.connection(),
                                r,
                                Position.of(Long.toString(seq), r.id()),
                                ChangeEvent.Origin.PUSH));
                        after = seq;
                    }
                }
            } catch (SQLException e) {
                throw failed("changes stock", e);
            }
            if (events.isEmpty() && !maxWait.isZero()) {
                Thread.sleep(maxWait.toMillis()); // this database cannot notify: look again after the wait
            }
            return events;
        }

        @Override
        public void acknowledge(Position position) {
            try (Connection c = session.database().getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "MERGE INTO feed_confirmations (slot, confirmed_seq) KEY (slot) VALUES (?, ?)")) {
                s.setString(1, session.connection());
                s.setLong(2, Long.parseLong(position.cursor()));
                s.executeUpdate();
            } catch (SQLException e) {
                throw failed("acknowledge stock", e);
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static TransientException failed(String operation, SQLException e) {
        // The SQL state says what failed; the message may quote data, so it stays out of ours.
        return new TransientException(
                ID, operation, "the inventory database failed (SQL state " + e.getSQLState() + ")", e);
    }
}
