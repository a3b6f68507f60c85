package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.LeaseTime;
import dev.switchboard.oauth.support.Postgres;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The contract against a real PostgreSQL 14 (embedded, started once per test JVM). */
class PostgresJdbcTokenStoreTest extends TokenStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private String prefix;
    private DataSource dataSource;
    private Keys keys;

    @Override
    protected TokenStore createStore(ManualClock clock) {
        // Fresh tables per test keep the tests independent without restarting the database.
        prefix = "contract" + TABLES.incrementAndGet() + "_";
        dataSource = Postgres.newDataSource();
        keys = TestKeys.in(dataSource, prefix);
        return JdbcTokenStore.open(dataSource, keys, clock, prefix);
    }

    @Override
    protected void elapse(Duration duration) throws Exception {
        clock.advance(duration);
        LeaseTime.elapse(dataSource, prefix + "token_leases", duration);
    }

    @Test
    void leasesExpireInTheDatabasesTimeWhateverTheInstancesClocks() {
        TokenStore ahead = JdbcTokenStore.open(
                dataSource, keys, ManualClock.at(clock.instant().plus(Duration.ofHours(1))), prefix);
        TokenStore behind = JdbcTokenStore.open(
                dataSource, keys, ManualClock.at(clock.instant().minus(Duration.ofHours(1))), prefix);
        assertThat(behind.tryLease("conn", "instance-behind", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(ahead.tryLease("conn", "instance-ahead", Duration.ofSeconds(30)))
                .isFalse(); // an hour ahead, yet the lease has not expired
        assertThat(ahead.renewLease("conn", "instance-behind", Duration.ofSeconds(30)))
                .isTrue();
    }

    @Test
    void aStatementBlockedByALockFailsAfterTheStatementTimeoutInsteadOfHanging() throws Exception {
        store.compareAndSet("conn", 0, credential("a", 1));
        TokenStore patient = JdbcTokenStore.builder(dataSource, keys)
                .tablePrefix(prefix)
                .clock(clock)
                .statementTimeout(Duration.ofSeconds(1))
                .open();
        try (Connection locker = dataSource.getConnection();
                Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            s.executeQuery("SELECT * FROM " + prefix + "tokens WHERE token_key = 'conn' FOR UPDATE")
                    .close(); // another session holds the row, as a stuck transaction would

            CompletableFuture<Boolean> write =
                    CompletableFuture.supplyAsync(() -> patient.compareAndSet("conn", 1, credential("b", 2)));
            assertThatThrownBy(() -> write.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TransientException.class)
                    .cause()
                    .hasMessageContaining("nothing was changed");
            locker.rollback();
        }
        assertThat(store.load("conn").orElseThrow().accessToken()).isEqualTo("a");
    }
}
