package dev.switchboard.connectors.jdbc.internal;

import static dev.switchboard.connectors.jdbc.JdbcConnector.*;

import dev.switchboard.connectors.jdbc.JdbcAction;
import dev.switchboard.connectors.jdbc.PostgresChangeFeedSettings;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.ConnectorDescriptor;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A connection's settings, parsed and checked for form (names against the database come later, in
 * {@link Catalog}). Immutable.
 */
public final class JdbcConfig {
    private static final Set<String> KEYS = Set.of(
            DATA_SOURCE,
            JDBC_URL,
            USER,
            PASSWORD_RESOURCE,
            POOL_SIZE,
            SCHEMA,
            TABLES,
            SYSTEM_READS_FILTERED,
            POSTGRES_SETTINGS,
            FETCH_SIZE,
            PAGE_SIZE,
            STATEMENT_TIMEOUT,
            TENANT,
            CDC_STREAMS,
            CDC_PASSWORD_RESOURCE,
            PostgresChangeFeedSettings.CDC_JDBC_URL,
            PostgresChangeFeedSettings.CDC_USER,
            PostgresChangeFeedSettings.CDC_SLOT_PREFIX,
            PostgresChangeFeedSettings.CDC_LEASE_SECONDS,
            PostgresChangeFeedSettings.CDC_LAG_WARN_BYTES,
            PostgresChangeFeedSettings.CDC_TRUNCATES,
            PostgresChangeFeedSettings.CDC_OWNER);
    private static final List<String> PREFIXES = List.of(
            CURSOR_PREFIX,
            KEY_PREFIX,
            SOFT_DELETE_PREFIX,
            ROW_FILTER_PREFIX,
            LOOK_BACK_PREFIX,
            TENANT_COLUMN_PREFIX,
            OWNER_COLUMN_PREFIX,
            ENTITY_PREFIX,
            FIELD_PREFIX);
    /** A PostgreSQL custom setting: a prefix, a dot, a name. */
    private static final String SETTING_NAME = "[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_.]*";

    final String connectionId;
    final @Nullable String dataSource;
    final @Nullable String jdbcUrl;
    final @Nullable String user;
    final @Nullable String passwordResource;
    final int poolSize;
    final @Nullable String schema;
    final @Nullable List<String> tables;
    final boolean systemReadsFiltered;
    /** PostgreSQL setting name to principal attribute, in order. */
    final Map<String, String> postgresSettings;

    final int fetchSize;
    final int pageSize;
    final Duration statementTimeout;
    final String tenant;
    /** The streams followed through PostgreSQL logical replication, in order; empty for none. */
    final List<String> cdcStreams;

    final @Nullable String cdcPasswordResource;
    /** Per-table settings: prefix (e.g. {@code cursor.}) to table name to value. */
    private final Map<String, Map<String, String>> perTable;

    private JdbcConfig(ConnectionConfig connection) {
        Map<String, String> s = connection.settings();
        this.connectionId = connection.id();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> tableSettings = new LinkedHashMap<>();
        for (String prefix : PREFIXES) {
            tableSettings.put(prefix, new LinkedHashMap<>());
        }
        for (Map.Entry<String, String> e : s.entrySet()) {
            String key = e.getKey();
            if (KEYS.contains(key)) {
                continue;
            }
            @Nullable
            String prefix =
                    PREFIXES.stream().filter(key::startsWith).findFirst().orElse(null);
            if (prefix == null || key.length() == prefix.length()) {
                problems.add("unknown setting '" + key + "' (known: "
                        + KEYS.stream().sorted().toList() + " and per table "
                        + PREFIXES.stream().map(p -> p + "<table>").toList() + ")");
                continue;
            }
            java.util.Objects.requireNonNull(tableSettings.get(prefix))
                    .put(key.substring(prefix.length()), e.getValue());
        }
        this.perTable = tableSettings;
        this.dataSource = blankToNull(s.get(DATA_SOURCE));
        this.jdbcUrl = blankToNull(s.get(JDBC_URL));
        if ((dataSource == null) == (jdbcUrl == null)) {
            problems.add("set exactly one of '" + DATA_SOURCE + "' (the name of the application's DataSource"
                    + " resource) and '" + JDBC_URL + "'");
        }
        this.user = blankToNull(s.get(USER));
        this.passwordResource = blankToNull(s.get(PASSWORD_RESOURCE));
        this.poolSize = positive(s, POOL_SIZE, 5, problems);
        this.schema = blankToNull(s.get(SCHEMA));
        String tableList = blankToNull(s.get(TABLES));
        this.tables = tableList == null ? null : splitList(tableList);
        this.systemReadsFiltered = Boolean.parseBoolean(s.getOrDefault(SYSTEM_READS_FILTERED, "false"));
        this.postgresSettings = parseSettings(s.get(POSTGRES_SETTINGS), problems);
        this.fetchSize = positive(s, FETCH_SIZE, 500, problems);
        this.pageSize = positive(s, PAGE_SIZE, 500, problems);
        this.statementTimeout = duration(s.get(STATEMENT_TIMEOUT), Duration.ofSeconds(30), STATEMENT_TIMEOUT, problems);
        String t = blankToNull(s.get(TENANT));
        this.tenant = t == null ? connection.id() : t;
        String cdc = blankToNull(s.get(CDC_STREAMS));
        this.cdcStreams = cdc == null ? List.of() : List.copyOf(splitList(cdc));
        String cdcPassword = blankToNull(s.get(CDC_PASSWORD_RESOURCE));
        this.cdcPasswordResource = cdcPassword != null ? cdcPassword : passwordResource;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "connection '" + connection.id() + "' (jdbc): " + String.join("; ", problems));
        }
    }

    /** The settings of {@code connection}, checked. */
    public static JdbcConfig of(ConnectionConfig connection) {
        return new JdbcConfig(connection);
    }

    /** The descriptor without streams: the connector's id, no credential, no base URL, the declared actions. */
    public static ConnectorDescriptor staticDescriptor(String id, Collection<JdbcAction> actions) {
        ConnectorDescriptor.Builder b =
                ConnectorDescriptor.builder(id).authKind(AuthKind.NONE).needsBaseUrl(false);
        for (JdbcAction a : actions) {
            b.action(descriptorOf(a));
        }
        return b.build();
    }

    static ActionDescriptor descriptorOf(JdbcAction a) {
        return new ActionDescriptor(a.name(), a.description(), a.inputSchema(), a.effect(), a.retrySafe());
    }

    /** The value of a per-table setting ({@code cursor.<table>}), or null. */
    @Nullable
    String table(String prefix, String table) {
        return bucket(prefix).get(table);
    }

    /** The tables a per-table setting names. */
    Set<String> tablesWith(String prefix) {
        return bucket(prefix).keySet();
    }

    /** The table settings of {@code prefix}, table to value. */
    Map<String, String> tableSettings(String prefix) {
        return Map.copyOf(bucket(prefix));
    }

    private Map<String, String> bucket(String prefix) {
        Map<String, String> b = perTable.get(prefix);
        if (b == null) {
            throw new IllegalArgumentException("not a per-table setting: " + prefix);
        }
        return b;
    }

    static List<String> splitList(String text) {
        List<String> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    private static @Nullable String blankToNull(@Nullable String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static int positive(Map<String, String> s, String key, int dflt, List<String> problems) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add("'" + key + "' must be a positive whole number, not '" + v + "'");
        return dflt;
    }

    static Duration duration(@Nullable String v, Duration dflt, String key, List<String> problems) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            if (v.strip().matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v.strip()));
            }
            Duration d = Duration.parse(v.strip());
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        problems.add("'" + key + "' must be an ISO-8601 duration (PT30S) or whole seconds, not '" + v + "'");
        return dflt;
    }

    private static Map<String, String> parseSettings(@Nullable String text, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String pair : splitList(text)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq).strip();
            String attribute = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (!name.matches(SETTING_NAME)) {
                problems.add("'" + POSTGRES_SETTINGS + "': '" + name
                        + "' is not a custom setting name (prefix.name, e.g. app.user_id)");
            } else if (!RowSecurity.ATTRIBUTES.contains(attribute)) {
                problems.add("'" + POSTGRES_SETTINGS + "': setting '" + name + "' takes '" + attribute
                        + "', which is not one of " + RowSecurity.ATTRIBUTES);
            } else {
                out.put(name, attribute);
            }
        }
        return out;
    }
}
