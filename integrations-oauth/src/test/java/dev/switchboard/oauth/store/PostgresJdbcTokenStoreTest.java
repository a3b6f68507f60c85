package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

/** The contract against a real PostgreSQL 14 (embedded, started once per test JVM). */
class PostgresJdbcTokenStoreTest extends TokenStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected TokenStore createStore(ManualClock clock) {
        // Fresh tables per test keep the tests independent without restarting the database.
        return JdbcTokenStore.open(
                Postgres.newDataSource(), TestKeys.k1(), clock, "contract" + TABLES.incrementAndGet() + "_");
    }
}
