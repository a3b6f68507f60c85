package dev.switchboard.core.http;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.storage.Jdbc;
import dev.switchboard.core.storage.JdbcSchema;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Where the tokens of the rate budgets live: in this process ({@link #inMemory()}, the default), or in
 * PostgreSQL ({@link #postgres}), so that the instances of one application spend one vendor allowance
 * between them instead of one each.
 *
 * <pre>{@code
 * Switchboard sb = Switchboard.builder()
 *     .rateBudgetStore(RateBudgetStore.postgres(dataSource).build())   // table switchboard_rate_budgets
 *     ...
 *     .build();
 * }</pre>
 *
 * <p>What a PostgreSQL store shares: each budget's token bucket (a row per bucket key, through Bucket4j's
 * PostgreSQL backend), so every request of every instance takes its permit from the same bucket, and a
 * vendor's rate-limit headers seen by one instance drain the bucket for all. What stays per instance: the
 * pauses a vendor orders (a {@code Retry-After}, a spent daily quota) and quota probes; every instance that
 * sends a request learns them from the vendor on its next answer (docs/storage.md says why).
 *
 * <p>The bucket's size is the one the instances configure for the key ({@link BudgetSettings}); the first
 * instance to use a key stores it, and {@code Switchboard.resetRateBudget} stores the resetting instance's
 * size and refills the bucket. Instances should configure the same size.
 *
 * <p>When the database cannot be reached while a request waits for its permit, the call fails with a
 * {@link TransientException} and no request is sent: a budget that cannot be counted is not spent blindly.
 */
public final class RateBudgetStore {
    /** The table a PostgreSQL store uses unless {@link PostgresBuilder#table} says otherwise. */
    public static final String DEFAULT_TABLE = "switchboard_rate_budgets";

    /** How long one statement on the budget table may take unless {@link PostgresBuilder#requestTimeout} says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private static final String NAME = "rate-budget-store";
    private static final RateBudgetStore IN_MEMORY = new RateBudgetStore(null, DEFAULT_TABLE, DEFAULT_REQUEST_TIMEOUT);

    private final @Nullable DataSource dataSource;
    private final String table;
    private final Duration requestTimeout;

    private RateBudgetStore(@Nullable DataSource dataSource, String table, Duration requestTimeout) {
        this.dataSource = dataSource;
        this.table = table;
        this.requestTimeout = requestTimeout;
    }

    /** Budgets in this process only: each instance spends the whole of every budget it configures. */
    public static RateBudgetStore inMemory() {
        return IN_MEMORY;
    }

    /**
     * Budgets shared by every instance using the same PostgreSQL database and table. The data source
     * should be a pool: each permit is one short transaction.
     */
    public static PostgresBuilder postgres(DataSource dataSource) {
        return new PostgresBuilder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Whether the budgets' tokens are shared with other instances (a PostgreSQL store). */
    public boolean shared() {
        return dataSource != null;
    }

    /** The database of a shared store; null in memory. */
    public @Nullable DataSource dataSource() {
        return dataSource;
    }

    /** The table of a shared store. */
    public String table() {
        return table;
    }

    /** The most one statement on the budget table may take (a shared store). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        return shared()
                ? "RateBudgetStore[postgres, table " + table + ", request timeout " + requestTimeout + "]"
                : "RateBudgetStore[in memory]";
    }

    /** Builds a PostgreSQL {@link RateBudgetStore}. */
    public static final class PostgresBuilder {
        private final DataSource dataSource;
        private String table = DEFAULT_TABLE;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

        private PostgresBuilder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** The budget table, optionally after a schema name and {@code .}; {@link RateBudgetStore#DEFAULT_TABLE} by default. */
        public PostgresBuilder table(String table) {
            this.table = Jdbc.tableName(table);
            return this;
        }

        /**
         * The most one statement on the budget table may take, waiting for another instance's row lock
         * included (JDBC's query timeout, so whole seconds, rounded up); 2 seconds by default. A permit that
         * takes longer fails its call with a {@link TransientException}. Opening a connection is bounded by
         * the pool's or the driver's own connect timeout, not by this.
         */
        public PostgresBuilder requestTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the request timeout must be positive: " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Checks the database is PostgreSQL and creates the budget table if it is missing (through
         * {@link JdbcSchema}, component {@code rate-budgets:<table>}, version 1:
         * {@code (id VARCHAR(255) PRIMARY KEY, state BYTEA, expires_at BIGINT)}).
         *
         * @throws PermanentException when the data source is not PostgreSQL (naming what it is), or the
         *     database refuses to create the table (missing privileges)
         * @throws TransientException when the database cannot be reached; nothing was created
         */
        public RateBudgetStore build() {
            String product;
            try {
                product = Jdbc.autoCommitValue(dataSource, c -> {
                    DatabaseMetaData meta = c.getMetaData();
                    return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
                });
            } catch (SQLException e) {
                throw new TransientException(
                        NAME,
                        "open",
                        "cannot reach the database of the shared rate budgets (SQLState " + e.getSQLState()
                                + "); check that PostgreSQL is up and the data source's address, then build again",
                        e);
            }
            if (!product.startsWith("PostgreSQL")) {
                throw new PermanentException(
                        NAME,
                        "open",
                        "shared rate budgets need PostgreSQL (Bucket4j's PostgreSQL backend), but the data source"
                                + " is " + product + ": hand RateBudgetStore.postgres a PostgreSQL data source, or use"
                                + " RateBudgetStore.inMemory() when one instance runs");
            }
            schema(table).migrate(dataSource);
            return new RateBudgetStore(dataSource, table, requestTimeout);
        }

        private static JdbcSchema schema(String table) {
            return JdbcSchema.builder("rate-budgets:" + table)
                    .version(
                            1,
                            "Bucket4j token buckets by budget key",
                            c -> JdbcSchema.execute(
                                    c,
                                    "CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(255) PRIMARY KEY,"
                                            + " state BYTEA, expires_at BIGINT)"))
                    .build();
        }
    }
}
