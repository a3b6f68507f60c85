package dev.switchboard.oauth.store;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.AutoCommitOffPool;
import dev.switchboard.oauth.support.LeaseTime;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Nested;

/**
 * The whole contract through a pool configured {@code autoCommit=false} at {@code SERIALIZABLE} (as Spring
 * applications often configure HikariCP), where closing a connection rolls back what was not committed: a store that
 * relied on the pool's defaults would report writes that never happened, and leases that are not exclusive.
 */
class AutoCommitOffPoolTokenStoreTest {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Nested
    class OnH2 extends TokenStoreContract {
        private DataSource physical;

        @Override
        protected TokenStore createStore(ManualClock clock) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:pool-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            physical = h2;
            DataSource pool = new AutoCommitOffPool(h2);
            return JdbcTokenStore.open(pool, TestKeys.in(pool, "switchboard_"), clock);
        }

        @Override
        protected void elapse(Duration duration) throws Exception {
            clock.advance(duration);
            LeaseTime.elapse(physical, "switchboard_token_leases", duration);
        }
    }

    @Nested
    class OnPostgres extends TokenStoreContract {
        private DataSource physical;
        private String prefix;

        @Override
        protected TokenStore createStore(ManualClock clock) {
            prefix = "pool" + TABLES.incrementAndGet() + "_";
            physical = Postgres.newDataSource();
            DataSource pool = new AutoCommitOffPool(physical);
            return JdbcTokenStore.open(pool, TestKeys.in(pool, prefix), clock, prefix);
        }

        @Override
        protected void elapse(Duration duration) throws Exception {
            clock.advance(duration);
            LeaseTime.elapse(physical, prefix + "token_leases", duration);
        }
    }
}
