package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** The contract against a real PostgreSQL 14 (embedded, started once per test JVM). */
class PostgresJdbcTokenStoreTest extends TokenStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected TokenStore createStore(ManualClock clock) {
        // Fresh tables per test keep the tests independent without restarting the database.
        String prefix = "contract" + TABLES.incrementAndGet() + "_";
        DataSource ds = Postgres.newDataSource();
        return JdbcTokenStore.open(ds, TestKeys.in(ds, prefix), clock, prefix);
    }
}
