package dev.switchboard.core.drift;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.error.KeyDestroyedException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link QuarantineStore} in a SQL table, so quarantined records outlive the process (the read's
 * checkpoint has already moved past them): H2 for one instance, PostgreSQL for several sharing the
 * table. Plain JDBC, no dependency beyond the JDK. The record's data and ACL are sealed with {@link Keys}
 * (envelope encryption, under the scope of the record's tenant), so the table holds no record values in clear.
 *
 * <pre>{@code
 * Keys keys = Keys.builder(KeyProvider.fromEnvironment("SWITCHBOARD_MASTER_KEYS"),
 *                          JdbcDataKeyStore.builder(dataSource).build()).build();
 * JdbcQuarantineStore store = JdbcQuarantineStore.builder(dataSource).keys(keys).build();  // creates or upgrades the table
 * Switchboard sb = Switchboard.builder()....quarantineStore(store).build();
 * }</pre>
 *
 * <p>Guarantees: {@link #put} is atomic (one transaction) and idempotent per (connection, stream,
 * record id, version): putting a copy of the version already kept changes nothing, however many
 * threads or instances do it at once; a copy of another version replaces it and goes to the end
 * of the list. The record round-trips exactly ({@link QuarantinedRecord#equals}): its data as JSON
 * text written by core's {@link Json}, instants as ISO-8601 text (no precision lost), source, ACL,
 * drifts, policy and reason. {@link #release} hands a record to exactly one caller.
 *
 * <p>Schema versions ({@link JdbcSchema}, applied by {@link Builder#build()}): 1, the table with the data and
 * ACL as JSON text; 2, both sealed into one {@code sealed} column (the upgrade seals the rows already there and
 * drops the plaintext columns). A record whose tenant was crypto-shredded ({@link Keys#destroy}) is gone: {@link
 * #list} leaves it out and removes its row, {@link #release} removes it and returns nothing.
 *
 * <p>Errors are {@link SwitchboardException}s naming the operation and SQLState, never a record's
 * values (the driver's own message, which can quote a value, is left out): a missing table or a
 * malformed row or a value that does not fit its column is a {@link PermanentException}; anything else a {@link TransientException}, after
 * which nothing was changed.
 */
public final class JdbcQuarantineStore implements QuarantineStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcQuarantineStore.class);
    private static final String NAME = "quarantine-store";
    private static final String COLUMNS = "connection_id, stream, record_id, version, connector, record_stream,"
            + " source_connector, source_connection, source_object, updated_at, drifts, policy, reason, quarantined_at,"
            + " sealed";
    /** The scope of records without an ACL (no tenant to seal them under). */
    static final KeyScope UNOWNED = KeyScope.of("switchboard/quarantine");

    private final DataSource dataSource;
    private final String table;
    private final Keys keys;

    private JdbcQuarantineStore(DataSource dataSource, String table, Keys keys) {
        this.dataSource = dataSource;
        this.table = table;
        this.keys = keys;
    }

    /** A store on {@code dataSource}, in table {@code switchboard_quarantine} unless {@link Builder#table} says otherwise. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The versions of the table ({@link JdbcSchema}). */
    private static JdbcSchema schema(String table, Keys keys) {
        return JdbcSchema.builder("quarantine:" + table)
                .recognize(table)
                .version(
                        1,
                        "quarantined records, data and ACL as JSON text",
                        c -> JdbcSchema.execute(
                                c,
                                "CREATE TABLE"
                                        + " IF NOT EXISTS " + table + " ("
                                        + "seq BIGINT GENERATED BY DEFAULT AS IDENTITY, "
                                        + "connection_id VARCHAR(255) NOT NULL, stream VARCHAR(255) NOT NULL, record_id VARCHAR(512) NOT NULL, "
                                        + "version VARCHAR(512), connector VARCHAR(255) NOT NULL, record_stream VARCHAR(255) NOT NULL, "
                                        + "source_connector VARCHAR(255) NOT NULL, source_connection VARCHAR(255) NOT NULL, "
                                        + "source_object VARCHAR(255) NOT NULL, updated_at VARCHAR(64), acl TEXT, data TEXT NOT NULL, "
                                        + "drifts TEXT NOT NULL, policy VARCHAR(32) NOT NULL, reason TEXT NOT NULL, quarantined_at VARCHAR(64) NOT NULL, "
                                        + "PRIMARY KEY (connection_id, stream, record_id))"))
                .version(2, "data and ACL sealed with Keys into column sealed", c -> {
                    JdbcSchema.execute(c, "ALTER TABLE " + table + " ADD COLUMN IF NOT EXISTS sealed BYTEA");
                    sealPlaintextRows(c, table, keys);
                    JdbcSchema.execute(
                            c,
                            "ALTER TABLE " + table + " DROP COLUMN IF EXISTS data",
                            "ALTER TABLE " + table + " DROP COLUMN IF EXISTS acl",
                            "ALTER TABLE " + table + " ALTER COLUMN sealed SET NOT NULL");
                })
                .build();
    }

    /** The upgrade to version 2: seals the data and ACL of every row that has none sealed yet. */
    private static void sealPlaintextRows(Connection c, String table, Keys keys) throws SQLException {
        record Plain(
                long seq,
                String connection,
                String stream,
                String id,
                @Nullable String version,
                @Nullable String data,
                @Nullable String acl) {}
        List<Plain> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, connection_id, stream, record_id, version, data, acl"
                        + " FROM " + table + " WHERE sealed IS NULL");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new Plain(
                        r.getLong(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getString(7)));
            }
        }
        try (PreparedStatement s =
                c.prepareStatement("UPDATE " + table + " SET sealed = ? WHERE seq = ? AND sealed IS NULL")) {
            for (Plain row : rows) {
                // The texts are sealed as they are: a row edited by hand fails when read, as it did before.
                byte[] sealed = keys.seal(
                        scopeOf(row.acl()),
                        payload(row.data() == null ? "{}" : row.data(), row.acl()),
                        aad(row.connection(), row.stream(), row.id(), row.version()));
                s.setBytes(1, sealed);
                s.setLong(2, row.seq());
                s.executeUpdate();
            }
        }
        if (!rows.isEmpty()) {
            log.info("Sealed the data of {} quarantined records in {}", rows.size(), table);
        }
    }

    /** A table outlives the process. */
    @Override
    public boolean durable() {
        return true;
    }

    /** The table's name. */
    public String table() {
        return table;
    }

    @Override
    public void put(QuarantinedRecord record) {
        Row row = encode(record);
        inTransaction("put", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT version FROM " + table
                    + " WHERE connection_id = ? AND stream = ? AND record_id = ? FOR UPDATE")) {
                key(s, record.connection(), record.stream(), record.id());
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        if (Objects.equals(r.getString(1), record.record().version())) {
                            return null; // this version is kept already: putting it again changes nothing
                        }
                        delete(c, record.connection(), record.stream(), record.id());
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                row.bind(s);
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<QuarantinedRecord> list(String connectionId, String stream) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                List<QuarantinedRecord> kept = new ArrayList<>();
                List<Long> shredded = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT seq, " + COLUMNS + " FROM " + table
                        + " WHERE connection_id = ? AND stream = ? ORDER BY seq")) {
                    s.setString(1, connectionId);
                    s.setString(2, stream);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            QuarantinedRecord record = decode(r);
                            if (record == null) {
                                shredded.add(r.getLong("seq"));
                            } else {
                                kept.add(record);
                            }
                        }
                    }
                }
                for (long seq : shredded) {
                    deleteRow(c, seq);
                }
                return List.copyOf(kept);
            });
        } catch (SQLException e) {
            throw failure("list", e);
        }
    }

    @Override
    public Optional<QuarantinedRecord> release(String connectionId, String stream, String recordId) {
        return Optional.ofNullable(inTransaction("release", c -> {
            QuarantinedRecord found;
            try (PreparedStatement s = c.prepareStatement("SELECT seq, " + COLUMNS + " FROM " + table
                    + " WHERE connection_id = ? AND stream = ? AND record_id = ? FOR UPDATE")) {
                key(s, connectionId, stream, recordId);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return null;
                    }
                    found = decode(r); // null when crypto-shredded: the row goes, nothing is handed out
                }
            }
            // Only the caller whose DELETE removed the row gets the record: a concurrent release gets nothing.
            return delete(c, connectionId, stream, recordId) == 1 ? found : null;
        }));
    }

    @Override
    public int count(String connectionId, String stream) {
        try {
            return Jdbc.autoCommitValue(dataSource, c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT COUNT(*) FROM " + table + " WHERE connection_id = ? AND stream = ?")) {
                    s.setString(1, connectionId);
                    s.setString(2, stream);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        return r.getInt(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("count", e);
        }
    }

    private int delete(Connection c, String connectionId, String stream, String recordId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM " + table + " WHERE connection_id = ? AND stream = ? AND record_id = ?")) {
            key(s, connectionId, stream, recordId);
            return s.executeUpdate();
        }
    }

    private void deleteRow(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table + " WHERE seq = ?")) {
            s.setLong(1, seq);
            s.executeUpdate();
        }
    }

    private static void key(PreparedStatement s, String connectionId, String stream, String recordId)
            throws SQLException {
        s.setString(1, connectionId);
        s.setString(2, stream);
        s.setString(3, recordId);
    }

    /**
     * Runs {@code work} in one transaction, again (from the start) when it lost a race with another
     * writer of the same row: a duplicate key, a serialization failure, a deadlock or a lock timeout.
     */
    private <T> @Nullable T inTransaction(String operation, Jdbc.Work<@Nullable T> work) {
        try {
            return Jdbc.inTransaction(dataSource, work);
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private SwitchboardException failure(String operation, SQLException e) {
        return Jdbc.failure(NAME, operation, "the quarantine table " + table, e);
    }

    // ---- rows ----------------------------------------------------------------------------------

    /** The column values of one record, in {@link #COLUMNS} order: texts, then the sealed data and ACL. */
    private record Row(List<@Nullable String> values, byte[] sealed) {
        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < values.size(); i++) {
                s.setString(i + 1, values.get(i));
            }
            s.setBytes(values.size() + 1, sealed);
        }
    }

    private Row encode(QuarantinedRecord q) {
        Record r = q.record();
        JsonArray.Builder drifts = JsonArray.builder();
        for (Drift d : q.drifts()) {
            drifts.add(JsonObject.builder()
                    .put("field", d.field())
                    .put("kind", d.kind().name())
                    .put("expected", nullable(d.expected()))
                    .put("observed", nullable(d.observed()))
                    .build());
        }
        List<@Nullable String> values = new ArrayList<>(14);
        values.add(q.connection());
        values.add(q.stream());
        values.add(r.id());
        values.add(r.version());
        values.add(q.connector());
        values.add(r.stream());
        values.add(r.source().connector());
        values.add(r.source().connection());
        values.add(r.source().object());
        values.add(r.updatedAt() == null ? null : r.updatedAt().toString());
        values.add(Json.write(drifts.build()));
        values.add(q.policy().name());
        values.add(q.reason());
        values.add(q.quarantinedAt().toString());
        String aclText = r.acl() == null ? null : Json.write(acl(r.acl()));
        byte[] sealed = keys.seal(
                r.acl() == null ? UNOWNED : KeyScope.tenant(r.acl().tenant()),
                payload(Json.write(r.data()), aclText),
                aad(q.connection(), q.stream(), r.id(), r.version()));
        return new Row(values, sealed);
    }

    /** What is sealed: the data's and the ACL's JSON texts. */
    private static byte[] payload(String data, @Nullable String acl) {
        return Json.write(JsonObject.builder()
                        .put("data", data)
                        .put("acl", nullable(acl))
                        .build())
                .getBytes(StandardCharsets.UTF_8);
    }

    /** What a sealed value is bound to: its row's key and version, so it cannot be moved to another row. */
    private static byte[] aad(String connection, String stream, String id, @Nullable String version) {
        return Json.write(JsonArray.of(
                        new JsonString("switchboard-quarantine"),
                        new JsonString(connection),
                        new JsonString(stream),
                        new JsonString(id),
                        nullable(version)))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The scope of a record with this ACL text: its tenant's, or {@link #UNOWNED}. */
    private static KeyScope scopeOf(@Nullable String aclText) {
        if (aclText == null) {
            return UNOWNED;
        }
        try {
            String tenant = ((JsonObject) Json.parse(aclText)).string("tenant");
            return tenant == null || tenant.isEmpty() ? UNOWNED : KeyScope.tenant(tenant);
        } catch (RuntimeException e) {
            return UNOWNED; // a row edited by hand: sealed all the same, and it fails when read, as before
        }
    }

    private static JsonValue nullable(@Nullable String value) {
        return value == null ? JsonNull.INSTANCE : new JsonString(value);
    }

    private static JsonObject acl(Acl acl) {
        return JsonObject.builder()
                .put("owner", nullable(acl.owner()))
                .put("tenant", acl.tenant())
                .put("visibility", acl.visibility().name())
                .put("roles", Json.strings(List.copyOf(acl.roles())))
                .build();
    }

    /** The record of a row; null when its data key was destroyed (crypto-shredded), so the record is gone. */
    private @Nullable QuarantinedRecord decode(ResultSet r) throws SQLException {
        String connection = r.getString("connection_id");
        String stream = r.getString("stream");
        String id = r.getString("record_id");
        String version = r.getString("version");
        JsonObject sealed;
        try {
            sealed = Json.parseObject(keys.open(r.getBytes("sealed"), aad(connection, stream, id, version)));
        } catch (KeyDestroyedException e) {
            log.info(
                    "Quarantined record '{}' of stream '{}' of connection '{}' was crypto-shredded (scope {}): removed",
                    id,
                    stream,
                    connection,
                    e.scope());
            return null;
        } catch (PermanentException e) {
            throw new PermanentException(
                    NAME,
                    "read",
                    "the sealed data of record '" + id + "' of stream '" + stream + "' of connection '" + connection
                            + "' in table " + table + " cannot be opened: " + e.getMessage());
        } catch (RuntimeException e) {
            throw unreadable(connection, stream, id, e);
        }
        try {
            String updatedAt = r.getString("updated_at");
            String aclText = sealed.string("acl");
            Record record = Record.builder().stream(r.getString("record_stream"))
                    .id(id)
                    .source(new RecordSource(
                            r.getString("source_connector"),
                            r.getString("source_connection"),
                            r.getString("source_object")))
                    .data(Json.parseObject(Objects.requireNonNull(sealed.string("data"), "data")
                            .getBytes(StandardCharsets.UTF_8)))
                    .updatedAt(updatedAt == null ? null : Instant.parse(updatedAt))
                    .version(version)
                    .acl(aclText == null ? null : acl((JsonObject) Json.parse(aclText)))
                    .build();
            List<Drift> drifts = new ArrayList<>();
            for (JsonValue v : (JsonArray) Json.parse(r.getString("drifts"))) {
                JsonObject d = (JsonObject) v;
                drifts.add(new Drift(
                        Objects.requireNonNull(d.string("field"), "field"),
                        Drift.Kind.valueOf(Objects.requireNonNull(d.string("kind"), "kind")),
                        d.string("expected"),
                        d.string("observed")));
            }
            return new QuarantinedRecord(
                    connection,
                    r.getString("connector"),
                    stream,
                    record,
                    drifts,
                    DriftPolicy.valueOf(r.getString("policy")),
                    r.getString("reason"),
                    Instant.parse(r.getString("quarantined_at")));
        } catch (RuntimeException e) {
            throw unreadable(connection, stream, id, e);
        }
    }

    /** Names the row, never its values; the cause's message could quote them, so it is not kept. */
    private PermanentException unreadable(String connection, String stream, String id, RuntimeException e) {
        return new PermanentException(
                NAME,
                "read",
                "the row of record '" + id + "' of stream '" + stream + "' of connection '"
                        + connection + "' in table " + table + " cannot be read ("
                        + e.getClass().getSimpleName()
                        + "): it was edited outside Switchboard; fix or delete the row");
    }

    private static Acl acl(JsonObject json) {
        Set<String> roles = new LinkedHashSet<>();
        JsonArray array = Objects.requireNonNull(json.array("roles"), "roles");
        array.forEach(v -> roles.add(((JsonString) v).value()));
        return new Acl(
                json.string("owner"),
                Objects.requireNonNull(json.string("tenant"), "tenant"),
                Visibility.valueOf(Objects.requireNonNull(json.string("visibility"), "visibility")),
                roles);
    }

    @Override
    public String toString() {
        return "JdbcQuarantineStore[" + table + "]";
    }

    /** Builds a {@link JdbcQuarantineStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String table = "switchboard_quarantine";
        private @Nullable Keys keys;

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The table's name, optionally with its schema ({@code ops.quarantine}): letters, digits and
         * {@code _}, not starting with a digit (it is written into SQL, so nothing else is accepted).
         */
        public Builder table(String table) {
            this.table = Jdbc.tableName(table);
            return this;
        }

        /** The keys that seal each record's data and ACL (required). */
        public Builder keys(Keys keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * The store, its table created or upgraded to the version this code knows ({@link JdbcSchema}; an upgrade
         * from version 1 seals the rows already there).
         *
         * @throws IllegalStateException if no {@link #keys} were given
         * @throws PermanentException if the table is newer than this code knows, or the database refuses to create
         *     or upgrade it
         */
        public JdbcQuarantineStore build() {
            Keys sealing = keys;
            if (sealing == null) {
                throw new IllegalStateException("JdbcQuarantineStore seals the records it keeps and needs keys:"
                        + " .keys(Keys.builder(KeyProvider.fromEnvironment(\"SWITCHBOARD_MASTER_KEYS\"),"
                        + " JdbcDataKeyStore.builder(dataSource).build()).build()), or .keys(Keys.ephemeral()) in"
                        + " tests (records are then unreadable after a restart); see docs/storage.md");
            }
            schema(table, sealing).migrate(dataSource);
            return new JdbcQuarantineStore(dataSource, table, sealing);
        }
    }
}
