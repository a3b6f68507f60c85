package dev.switchboard.connectors.jdbc;

import dev.switchboard.connectors.jdbc.internal.JdbcConfig;
import dev.switchboard.connectors.jdbc.internal.JdbcSession;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.FieldMapping;
import dev.switchboard.normalize.FieldMappings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JDBC connector: a company's own SQL database as streams (its tables and views, discovered from
 * {@link java.sql.DatabaseMetaData}, and {@linkplain JdbcQuery declared queries}) and actions
 * ({@linkplain JdbcAction declared statements}). Found by {@link java.util.ServiceLoader} as {@code jdbc}
 * (tables only); {@link #builder()} makes one with declared queries and actions, registered with
 * {@code Switchboard.builder().connector(...)}: it then serves every connection whose connector id is its
 * {@linkplain Builder#id id} ({@code jdbc} unless set, replacing the discovered one), so connections that
 * need different declarations use connectors of different ids.
 *
 * <p>Configured per connection through {@code ConnectionConfig.settings}; the keys are the constants of this
 * class. Unknown keys fail the build with a message naming the known ones. Table and column names in settings
 * must name what the database's metadata lists (matched exactly, else case-insensitively when that is
 * unambiguous); they are always quoted with the driver's quote string, and every value is a bound parameter.
 *
 * <p>Values are mapped as {@link dev.switchboard.connectors.jdbc.internal.ColumnTypes} documents (numeric
 * precision kept, timestamps with zone as UTC instants, JSON parsed, arrays as arrays, UUIDs lower case,
 * binary as base64). A record's id is its key (see {@link dev.switchboard.connectors.jdbc.internal.RowIdentity}),
 * its version a digest of its data. Docs: {@code docs/connectors/jdbc.md}.
 */
public final class JdbcConnector implements Connector {
    /** The default connector id. */
    public static final String ID = "jdbc";

    /**
     * The name of the application's {@code javax.sql.DataSource} resource
     * ({@code Switchboard.builder().resource(name, dataSource)}). The connector never closes it. Exactly one of
     * this and {@link #JDBC_URL} is required.
     */
    public static final String DATA_SOURCE = "dataSource";

    /**
     * A JDBC URL to open a HikariCP pool of the session's own (closed with the Switchboard), instead of
     * {@link #DATA_SOURCE}. Never printed: messages name the connection, not the URL.
     */
    public static final String JDBC_URL = "jdbcUrl";

    /** The user for {@link #JDBC_URL}. */
    public static final String USER = "user";

    /**
     * The name of a resource holding the password for {@link #JDBC_URL} (a {@code String} or {@code char[]}),
     * so no secret sits in the settings.
     */
    public static final String PASSWORD_RESOURCE = "passwordResource";

    /** The largest size of the pool opened for {@link #JDBC_URL}; 5 by default. */
    public static final String POOL_SIZE = "poolSize";

    /** The schema whose tables and views become streams; the connection's current schema by default. */
    public static final String SCHEMA = "schema";

    /**
     * A comma list of the tables and views to offer; every table and view of the schema with a primary key by
     * default (those without one are skipped, logged at INFO). A listed table without a primary key needs
     * {@link #KEY_PREFIX}, or the build fails saying so.
     */
    public static final String TABLES = "tables";

    /**
     * {@code cursor.<table>}: the column incremental reads of the table resume by (an {@code updated_at}, a
     * sequence). Must be NOT NULL. Reads then order by it, then the key, and resume with
     * {@code cursor > ? OR (cursor = ? AND key > ?)}: rows with equal cursors are neither lost nor read twice.
     */
    public static final String CURSOR_PREFIX = "cursor.";

    /**
     * {@code key.<table>}: a comma list of the columns that identify a row, for a view or a table without a
     * primary key (overrides the primary key when given).
     */
    public static final String KEY_PREFIX = "key.";

    /**
     * {@code softDelete.<table>}: a column whose non-null value makes the row a tombstone (a deleted record:
     * the stream then reports deletes, and the polling change feed delivers them as deletes).
     */
    public static final String SOFT_DELETE_PREFIX = "softDelete.";

    /**
     * {@code rowFilter.<table>}: a SQL predicate (trusted configuration, never input) every read of the table
     * adds, with {@code :user_id}, {@code :tenant_id} and {@code :roles} bound from the reader's principal
     * ({@code :roles} expands to one placeholder per role, for {@code role IN (:roles)}; none binds one NULL,
     * which matches nothing). Example: {@code tenant_id = :tenant_id AND (owner = :user_id OR 'admin' IN (:roles))}.
     * A system principal (a change feed's poller, an indexer) reads without it unless
     * {@link #SYSTEM_READS_FILTERED} is true.
     *
     * <p>The filter can also use the reader's identity in the database as the application's
     * {@code AccountMapping} gives it ({@code StreamCall.rowScope()}, the same identity core's row rule compares
     * ACLs with): {@code :scope_tenant}, {@code :scope_user_id} and {@code :scope_groups} (one placeholder per
     * group, for {@code IN (:scope_groups)}). Each binds one NULL, which matches nothing, when there is no such
     * value: the principal has no identity there (no account, or a policy without the row rule, or a system
     * principal with {@link #SYSTEM_READS_FILTERED}), or the identity has no user id or no group. Example, for an
     * application whose tenants are mapped to the database's: {@code tenant_id = :scope_tenant AND (owner_id =
     * :scope_user_id OR 'admins' IN (:scope_groups))}. The filter is the connector's push-down: core still
     * filters every row it returns by its ACL ({@link #TENANT_COLUMN_PREFIX}), so a filter wider than the ACL
     * only costs rows read and withheld; one narrower than the ACL withholds rows the ACL would show.
     */
    public static final String ROW_FILTER_PREFIX = "rowFilter.";

    /** {@code true} to apply row filters to system principals too (they then match what the filter says). */
    public static final String SYSTEM_READS_FILTERED = "systemReadsFiltered";

    /**
     * For PostgreSQL's own row-level security: a comma list of {@code setting=attribute}, each set with
     * {@code SELECT set_config(setting, value, true)} (SET LOCAL) inside every read's and action's transaction,
     * for the database's policies to read with {@code current_setting('app.user_id', true)}. Attributes:
     * {@code user_id}, {@code tenant_id}, {@code roles} (comma-joined, sorted). Example:
     * {@code app.user_id=user_id,app.tenant_id=tenant_id}. Settings end with the transaction, so a pooled
     * connection carries nothing to its next user.
     */
    public static final String POSTGRES_SETTINGS = "postgres.settings";

    /** Rows fetched per round trip while a page streams in; 500 by default. */
    public static final String FETCH_SIZE = "fetchSize";

    /** Rows per page when the read request gives no page size; 500 by default. */
    public static final String PAGE_SIZE = "pageSize";

    /** Each statement's timeout, as ISO-8601 ({@code PT30S}) or whole seconds; 30 seconds by default. */
    public static final String STATEMENT_TIMEOUT = "statementTimeout";

    /**
     * {@code lookBack.<table>}: how far before the resume position an incremental read re-reads, for cursors
     * stamped at transaction start (a row committed late with an earlier {@code updated_at}). ISO-8601 or
     * seconds for a temporal cursor, a number for a numeric one. Re-read rows are delivered again without
     * moving the checkpoint.
     */
    public static final String LOOK_BACK_PREFIX = "lookBack.";

    /** The tenant every row belongs to in its ACL; the connection id by default. */
    public static final String TENANT = "tenant";

    /** {@code tenantColumn.<table>}: a column holding the row's tenant, for its ACL (instead of {@link #TENANT}). */
    public static final String TENANT_COLUMN_PREFIX = "tenantColumn.";

    /** {@code ownerColumn.<table>}: a column holding the row's owning user, for its ACL. */
    public static final String OWNER_COLUMN_PREFIX = "ownerColumn.";

    /**
     * {@code entity.<table>}: the unified-model entity the table's rows become through this connector's
     * {@code EntityMapper}: {@code customer} (an organization), {@code contact} (a person), {@code ticket}
     * or {@code order} (a deal). See {@link JdbcEntityMappings}.
     */
    public static final String ENTITY_PREFIX = "entity.";

    /**
     * {@code field.<table>.<target>}: the column a unified-model field is read from, e.g.
     * {@code field.customers.name=company_name}; by default the column named like the field.
     */
    public static final String FIELD_PREFIX = "field.";

    /**
     * A comma list of table streams followed through PostgreSQL logical replication (PostgreSQL only, tables
     * with a primary key): their descriptors push changes, and {@code Switchboard.subscribe} follows them through
     * the database's log, each change a {@code ChangeEvent} whose record is the row as reads give it (a row whose
     * soft-delete column is set arrives as a delete). The replication connection is configured with the
     * {@code cdc.*} keys of {@link PostgresChangeFeedSettings} ({@code cdc.jdbcUrl} is required when the connection
     * uses {@link #DATA_SOURCE}). Other streams, and other databases, are polled on their cursor. See
     * {@code docs/connectors/jdbc-cdc.md}.
     */
    public static final String CDC_STREAMS = "cdc.streams";

    /**
     * The name of the resource holding the replication role's password (a {@code String} or {@code char[]});
     * {@link #PASSWORD_RESOURCE} by default, none when neither is set.
     */
    public static final String CDC_PASSWORD_RESOURCE = "cdc.passwordResource";

    /** Entity names of {@link #ENTITY_PREFIX}, and the unified-model type each becomes. */
    private static final Map<String, EntityType> ENTITIES = Map.of(
            "customer", EntityType.ORGANIZATION,
            "organization", EntityType.ORGANIZATION,
            "contact", EntityType.PERSON,
            "person", EntityType.PERSON,
            "ticket", EntityType.TICKET,
            "order", EntityType.DEAL,
            "deal", EntityType.DEAL);

    private final String id;
    private final Map<String, JdbcQuery> queries;
    private final Map<String, JdbcAction> actions;

    /** The connector ServiceLoader finds: id {@code jdbc}, tables only. */
    public JdbcConnector() {
        this(ID, Map.of(), Map.of());
    }

    private JdbcConnector(String id, Map<String, JdbcQuery> queries, Map<String, JdbcAction> actions) {
        this.id = id;
        this.queries = Map.copyOf(queries);
        this.actions = Map.copyOf(actions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The normalizer's field mappings a connection's settings declare: for each {@code entity.<table>=<entity>}
     * a whole-stream mapping into that entity type, its fields read from the columns
     * {@code field.<table>.<target>=<column>} names (a target is a standard field of the type, such as
     * {@code name} or {@code email}, {@code custom.<name>}, or {@code externalId}).
     *
     * @throws IllegalArgumentException for an unknown entity name or a target the entity type lacks
     */
    public static FieldMappings fieldMappings(ConnectionConfig connection) {
        FieldMappings.Builder b = FieldMappings.builder();
        Map<String, String> s = connection.settings();
        for (Map.Entry<String, String> e : s.entrySet()) {
            if (e.getKey().startsWith(ENTITY_PREFIX)) {
                String table = e.getKey().substring(ENTITY_PREFIX.length());
                EntityType type = ENTITIES.get(e.getValue().strip().toLowerCase(java.util.Locale.ROOT));
                if (type == null) {
                    throw new IllegalArgumentException("connection '" + connection.id() + "': '" + e.getKey() + "' is '"
                            + e.getValue() + "'; use one of " + new java.util.TreeSet<>(ENTITIES.keySet()));
                }
                b.entity(table, type);
            }
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(s).entrySet()) {
            if (e.getKey().startsWith(FIELD_PREFIX)) {
                String rest = e.getKey().substring(FIELD_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || dot == rest.length() - 1) {
                    throw new IllegalArgumentException("connection '" + connection.id() + "': '" + e.getKey()
                            + "' must be " + FIELD_PREFIX + "<table>.<target>");
                }
                b.field(
                        rest.substring(0, dot),
                        FieldMapping.standard(e.getValue().strip(), rest.substring(dot + 1)));
            }
        }
        return b.build();
    }

    /** The declared queries, by name. */
    public Map<String, JdbcQuery> queries() {
        return queries;
    }

    /** The declared actions, by name. */
    public Map<String, JdbcAction> actions() {
        return actions;
    }

    /** Id, no credential, no base URL, and the declared actions; streams depend on the connection. */
    @Override
    public ConnectorDescriptor descriptor() {
        return JdbcConfig.staticDescriptor(id, actions.values());
    }

    /**
     * The connection's streams, discovered from the database's metadata, and the declared queries and actions.
     *
     * @throws IllegalArgumentException when the settings cannot be served (an unknown key, a table or column the
     *     metadata does not list, a table without a key, a cursor column that may be NULL); the message says
     *     what to change
     */
    @Override
    public ConnectorDescriptor descriptor(ConnectorContext context) {
        return JdbcSession.describeConnection(id, context, queries, actions);
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        return JdbcSession.open(id, context, queries, actions);
    }

    /** Reads bind the principal into row filters and PostgreSQL settings: the read cache keys pages by it. */
    @Override
    public boolean readsDependOnPrincipal() {
        return true;
    }

    /** Builds a {@link JdbcConnector} with declared queries and actions. */
    public static final class Builder {
        private String id = ID;
        private final Map<String, JdbcQuery> queries = new LinkedHashMap<>();
        private final Map<String, JdbcAction> actions = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /** The connector id connections name; {@code jdbc} by default. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder query(JdbcQuery query) {
            if (queries.putIfAbsent(query.name(), query) != null) {
                problems.add("query '" + query.name() + "' is declared twice");
            }
            return this;
        }

        public Builder action(JdbcAction action) {
            if (actions.putIfAbsent(action.name(), action) != null) {
                problems.add("action '" + action.name() + "' is declared twice");
            }
            return this;
        }

        public JdbcConnector build() {
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            JdbcConnector c = new JdbcConnector(id, queries, actions);
            c.descriptor(); // checks the id
            return c;
        }
    }
}
