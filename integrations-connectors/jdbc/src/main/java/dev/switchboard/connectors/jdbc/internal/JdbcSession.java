package dev.switchboard.connectors.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.JdbcAction;
import dev.switchboard.connectors.jdbc.JdbcConnector;
import dev.switchboard.connectors.jdbc.JdbcParameter;
import dev.switchboard.connectors.jdbc.JdbcQuery;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.connectors.jdbc.internal.cdc.PgChangeFeed;
import dev.switchboard.connectors.jdbc.internal.cdc.StreamTable;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ActionSummaries;
import dev.switchboard.core.connector.ChangeCall;
import dev.switchboard.core.connector.ChangeReader;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One connection of the JDBC connector: its data source (the application's, or a pool of its own for a JDBC
 * URL, closed with the session), its streams as discovered when it opened, and its declared actions.
 * Thread-safe: it holds no connection between calls; each page and each action borrows one.
 */
public final class JdbcSession implements ConnectorSession {
    private final String connector;
    private final JdbcConfig config;
    private final DataSource dataSource;
    private final @Nullable HikariDataSource owned;
    private final Map<String, TableSpec> specs;
    private final Map<String, JdbcAction> actions;
    private final RowSecurity rowSecurity;
    private final boolean postgres;
    private final Clock clock;
    /** How the streams of {@link JdbcConfig#cdcStreams} are followed; null when none is. */
    private final @Nullable PostgresChangeFeedSettings cdc;

    private final MeterRegistry meters;

    private JdbcSession(
            String connector,
            JdbcConfig config,
            DataSource dataSource,
            @Nullable HikariDataSource owned,
            Map<String, TableSpec> specs,
            Map<String, JdbcAction> actions,
            boolean postgres,
            @Nullable PostgresChangeFeedSettings cdc,
            ConnectorContext context) {
        this.connector = connector;
        this.config = config;
        this.dataSource = dataSource;
        this.owned = owned;
        this.specs = Map.copyOf(specs);
        this.actions = Map.copyOf(actions);
        this.rowSecurity = new RowSecurity(config.postgresSettings);
        this.postgres = postgres;
        this.cdc = cdc;
        this.clock = context.clock();
        this.meters = context.meters();
    }

    /** The descriptor of one connection: discovered streams, declared queries and actions. */
    public static ConnectorDescriptor describeConnection(
            String id, ConnectorContext context, Map<String, JdbcQuery> queries, Map<String, JdbcAction> actions) {
        try (JdbcSession s = open(id, context, queries, actions)) {
            return s.descriptor();
        }
    }

    /**
     * Opens a session: resolves the data source, discovers the streams, checks the declared actions against
     * them.
     *
     * @throws IllegalArgumentException when the settings cannot be served; the message says what to change
     */
    public static JdbcSession open(
            String id, ConnectorContext context, Map<String, JdbcQuery> queries, Map<String, JdbcAction> actions) {
        JdbcConfig cfg = JdbcConfig.of(context.connection());
        HikariDataSource owned = null;
        DataSource ds;
        if (cfg.dataSource != null) {
            ds = context.resource(cfg.dataSource, DataSource.class);
        } else {
            owned = pool(cfg, context);
            ds = owned;
        }
        try {
            Map<String, TableSpec> specs;
            boolean postgres;
            try (Connection c = ds.getConnection()) {
                postgres = "PostgreSQL".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
                specs = Catalog.discover(c, cfg, queries.values());
            } catch (SQLException e) {
                throw new IllegalStateException(
                        "connection '" + cfg.connectionId + "' (jdbc): the database's metadata could not be read: "
                                + JdbcErrors.describe(e),
                        e);
            }
            if (!postgres && !cfg.postgresSettings.isEmpty()) {
                throw new IllegalArgumentException("connection '" + cfg.connectionId + "' (jdbc): '"
                        + JdbcConnector.POSTGRES_SETTINGS + "' needs PostgreSQL; this database is not");
            }
            checkActions(cfg, specs, actions.values());
            PostgresChangeFeedSettings cdc = changeFeed(id, cfg, context, specs, postgres);
            return new JdbcSession(id, cfg, ds, owned, specs, actions, postgres, cdc, context);
        } catch (RuntimeException e) {
            if (owned != null) {
                owned.close();
            }
            throw e;
        }
    }

    private static void checkActions(JdbcConfig cfg, Map<String, TableSpec> specs, Collection<JdbcAction> actions) {
        for (JdbcAction a : actions) {
            if (a.stream() == null) {
                continue;
            }
            TableSpec spec = specs.get(a.stream());
            if (spec == null) {
                throw new IllegalArgumentException("connection '" + cfg.connectionId + "' (jdbc): action '" + a.name()
                        + "' affects stream '" + a.stream() + "', which this connection does not read (streams: "
                        + specs.keySet() + ")");
            }
            if (!a.returning() && a.keyInputs().size() != spec.keys.size()) {
                throw new IllegalArgumentException("connection '" + cfg.connectionId + "' (jdbc): action '" + a.name()
                        + "' names " + a.keyInputs() + " as the key of stream '" + a.stream()
                        + "', whose key is " + spec.keys);
            }
        }
    }

    /** The change feed's settings when {@code cdc.streams} names streams, checked against what was discovered. */
    private static @Nullable PostgresChangeFeedSettings changeFeed(
            String connector,
            JdbcConfig cfg,
            ConnectorContext context,
            Map<String, TableSpec> specs,
            boolean postgres) {
        if (cfg.cdcStreams.isEmpty()) {
            return null;
        }
        String where = "connection '" + cfg.connectionId + "' (jdbc): '" + JdbcConnector.CDC_STREAMS + "'";
        if (!postgres) {
            throw new IllegalArgumentException(where + " needs PostgreSQL (logical replication); on this database"
                    + " remove it: streams with a cursor column are followed by polling");
        }
        for (String stream : cfg.cdcStreams) {
            TableSpec spec = specs.get(stream);
            if (spec == null) {
                throw new IllegalArgumentException(where + " names '" + stream
                        + "', which this connection does not read (streams: " + specs.keySet() + ")");
            }
            if (spec.isQuery() || spec.schemaName == null) {
                throw new IllegalArgumentException(where + " names '" + stream
                        + "', a declared query: only tables can be followed through the database's log");
            }
        }
        String password = password(cfg, context, cfg.cdcPasswordResource);
        return PostgresChangeFeedSettings.fromSettings(
                        cfg.connectionId, context.connection().settings(), password)
                .newBuilder()
                .connector(connector)
                .build();
    }

    /** The password held by resource {@code name}, or null when no resource is named. */
    private static @Nullable String password(JdbcConfig cfg, ConnectorContext context, @Nullable String name) {
        if (name == null) {
            return null;
        }
        Object secret = context.resource(name, Object.class);
        if (secret instanceof char[] chars) {
            return new String(chars);
        }
        if (secret instanceof CharSequence text) {
            return text.toString();
        }
        throw new IllegalArgumentException("connection '" + cfg.connectionId + "' (jdbc): resource '" + name
                + "' must be a String or char[] password");
    }

    private static HikariDataSource pool(JdbcConfig cfg, ConnectorContext context) {
        String url = java.util.Objects.requireNonNull(cfg.jdbcUrl);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setPoolName("switchboard-jdbc-" + cfg.connectionId);
        hc.setMaximumPoolSize(cfg.poolSize);
        if (cfg.user != null) {
            hc.setUsername(cfg.user);
        }
        String password = password(cfg, context, cfg.passwordResource);
        if (password != null) {
            hc.setPassword(password);
        }
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            // The driver's message may quote the URL, which may carry a password: say what failed, without it.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("connection '" + cfg.connectionId
                    + "' (jdbc): could not open a pool for its '" + JdbcConnector.JDBC_URL + "' ("
                    + root.getClass().getSimpleName()
                    + (root instanceof SQLException sql ? ", SQLState " + sql.getSQLState() : "")
                    + "); check the URL, user and password");
        }
    }

    /** This connection's descriptor. */
    public ConnectorDescriptor descriptor() {
        ConnectorDescriptor.Builder b = ConnectorDescriptor.builder(connector)
                .authKind(dev.switchboard.core.connector.AuthKind.NONE)
                .needsBaseUrl(false);
        for (TableSpec spec : specs.values()) {
            StreamDescriptor stream = spec.descriptor();
            b.stream(config.cdcStreams.contains(spec.stream) ? stream.withPushedChanges(true) : stream);
        }
        for (JdbcAction a : actions.values()) {
            b.action(JdbcConfig.descriptorOf(a));
        }
        return b.build();
    }

    /** The connector's id, as errors and records name it. */
    public String connector() {
        return connector;
    }

    /** The connection's id. */
    public String connection() {
        return config.connectionId;
    }

    /** The tenant of records' ACLs when a table has no tenant column ({@code tenant}, else the connection id). */
    public String tenant() {
        return config.tenant;
    }

    /** The data source every read, action (and the change feed's snapshot) borrows connections from. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** What stream {@code name} reads, or null. */
    public @Nullable TableSpec spec(String name) {
        return specs.get(name);
    }

    /** Every stream's spec, by name. */
    public Map<String, TableSpec> specs() {
        return specs;
    }

    JdbcConfig config() {
        return config;
    }

    RowSecurity rowSecurity() {
        return rowSecurity;
    }

    boolean postgres() {
        return postgres;
    }

    /** A row of {@code spec} as its record (see {@link TableSpec#toRecord}), with this connection's ids and tenant. */
    public Record record(TableSpec spec, JsonObject row) {
        return spec.toRecord(connector, config.connectionId, config.tenant, row, clock);
    }

    void applyTimeout(PreparedStatement ps) throws SQLException {
        long seconds = config.statementTimeout.toSeconds();
        if (!config.statementTimeout.isZero()) {
            ps.setQueryTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds)));
        }
    }

    @Override
    public StreamReader openStream(StreamCall call) {
        String name = call.stream().name();
        TableSpec spec = specs.get(name);
        if (spec == null) {
            throw new InvalidInputException(
                    connector, "read " + name, "stream '" + name + "' is not one of " + specs.keySet());
        }
        int pageSize = call.request().pageSize() > 0 ? call.request().pageSize() : config.pageSize;
        return new TableReader(
                this,
                spec,
                call.context().principal(),
                call.rowScope(),
                call.request().filter(),
                pageSize,
                call.resumeAfter());
    }

    @Override
    public ActionOutput execute(ActionCall call) {
        JdbcAction action = actions.get(call.action().name());
        if (action == null) {
            throw new InvalidInputException(
                    connector,
                    "execute " + call.action().name(),
                    "action '" + call.action().name() + "' is not one of " + actions.keySet());
        }
        return new ActionRunner(this, action).run(call.input(), call.context().principal());
    }

    /**
     * The declared statement in words: its kind and the action, the stream and row it touches, each input
     * (a secret-named one redacted, long text cut), e.g. "Run delete_customer (DELETE on customers, row 3)
     * with id 3 in connection db".
     */
    @Override
    public Optional<String> summarize(ActionDescriptor descriptor, JsonObject input) {
        JdbcAction action = actions.get(descriptor.name());
        if (action == null) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder("Run ").append(action.name()).append(" (");
        s.append(ActionRunner.statementKind(action));
        if (action.stream() != null) {
            s.append(" on ").append(action.stream());
            List<String> key = new ArrayList<>();
            for (String k : action.keyInputs()) {
                JsonValue v = input.get(k);
                key.add(v == null ? "?" : ActionSummaries.value(k, v));
            }
            if (!key.isEmpty()) {
                s.append(", row ").append(String.join("/", key));
            }
        }
        s.append(")");
        List<String> given = new ArrayList<>();
        for (JdbcParameter p : action.parameters()) {
            JsonValue v = input.get(p.name());
            if (v != null) {
                given.add(p.name() + " " + ActionSummaries.value(p.name(), v));
            }
        }
        if (!given.isEmpty()) {
            s.append(" with ").append(ActionSummaries.list(given));
        }
        return Optional.of(
                s.append(" in connection ").append(config.connectionId).toString());
    }

    /**
     * Runs the declared statement in a transaction that is rolled back, never committed: the rows it would
     * touch, as the principal (row security applies as it does to the action). Sequences a statement draws
     * from still advance, as they do on any rollback.
     */
    @Override
    public ActionPreview dryRun(ActionCall call) {
        JdbcAction action = actions.get(call.action().name());
        if (action == null) {
            throw new InvalidInputException(
                    connector,
                    "preview " + call.action().name(),
                    "action '" + call.action().name() + "' is not one of " + actions.keySet());
        }
        return new ActionRunner(this, action, true)
                .preview(call.input(), call.context().principal());
    }

    /**
     * Follows a stream of {@code cdc.streams} through PostgreSQL logical replication; each change's record is built
     * by {@link #record} like a read's.
     */
    @Override
    public ChangeReader changes(ChangeCall call) {
        String name = call.stream().name();
        TableSpec spec = specs.get(name);
        PostgresChangeFeedSettings settings = cdc;
        if (spec == null || settings == null || !config.cdcStreams.contains(name)) {
            throw new InvalidInputException(
                    connector,
                    "changes " + name,
                    "stream '" + name + "' is not followed through the database's log (" + JdbcConnector.CDC_STREAMS
                            + ": " + config.cdcStreams + ")");
        }
        StreamTable table = new StreamTable(
                spec.stream,
                java.util.Objects.requireNonNull(spec.schemaName),
                spec.tableName,
                spec.keys,
                spec.columns.stream().map(Column::name).toList(),
                data -> spec.acl(config.tenant, data),
                data -> record(spec, data));
        return PgChangeFeed.open(settings, call, table, meters, clock);
    }

    /** The stream's columns as the database's metadata lists them now, for core's drift check. */
    @Override
    public Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        TableSpec spec = specs.get(stream.name());
        if (spec == null) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection()) {
            return Optional.of(Catalog.describe(c, spec));
        } catch (SQLException e) {
            throw JdbcErrors.read(connector, "describe " + stream.name(), e);
        }
    }

    /** Closes the pool the session opened for a JDBC URL; an application's data source is left open. */
    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
