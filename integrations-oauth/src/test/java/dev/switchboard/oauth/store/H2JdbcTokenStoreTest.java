package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.TokenLease;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.KeyProvider;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.LeaseTime;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class H2JdbcTokenStoreTest extends TokenStoreContract {
    private JdbcDataSource dataSource;
    private Keys keys;

    @Override
    protected TokenStore createStore(ManualClock clock) {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        keys = TestKeys.in(dataSource, "switchboard_");
        return JdbcTokenStore.open(dataSource, keys, clock);
    }

    @Override
    protected void elapse(Duration duration) throws Exception {
        clock.advance(duration);
        LeaseTime.elapse(dataSource, "switchboard_token_leases", duration);
    }

    @Test
    void leasesExpireInTheDatabasesTimeWhateverTheInstancesClocks() {
        ManualClock hourAhead = ManualClock.at(clock.instant().plus(Duration.ofHours(1)));
        ManualClock hourBehind = ManualClock.at(clock.instant().minus(Duration.ofHours(1)));
        TokenStore ahead = JdbcTokenStore.open(dataSource, keys, hourAhead);
        TokenStore behind = JdbcTokenStore.open(dataSource, keys, hourBehind);

        assertThat(behind.tryLease("conn", "instance-behind", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(ahead.tryLease("conn", "instance-ahead", Duration.ofSeconds(30)))
                .isFalse(); // an hour ahead, yet the lease has not expired
        assertThat(store.tryLease("conn", "instance-c", Duration.ofSeconds(30))).isFalse();
        TokenLease held = ahead.acquireLease("other", "instance-ahead", Duration.ofSeconds(30))
                .orElseThrow();
        assertThat(behind.tryLease("other", "instance-behind", Duration.ofSeconds(30)))
                .isFalse();
        ahead.compareAndSet("other", 0, credential("a", 1));
        assertThat(ahead.compareAndSet("other", 1, credential("b", 2), held)).isTrue();
    }

    @Test
    void masterKeysRotate_rewrapThenTheOldKeyCanBeRetired() {
        store.compareAndSet("crm/t-1/u-1", 0, credential("user-token", 1));
        store.compareAndSet("crm", 0, credential("shared-token", 1));
        Keys rotated = TestKeys.in(dataSource, "switchboard_", TestKeys.rotated());
        assertThat(rotated.rewrap()).isEqualTo(2); // the user's data key and the shared one

        Keys k2Only = TestKeys.in(dataSource, "switchboard_", KeyProvider.of("k2", TestKeys.K2));
        TokenStore reopened = JdbcTokenStore.open(dataSource, k2Only, clock);
        assertThat(reopened.load("crm/t-1/u-1").orElseThrow().accessToken()).isEqualTo("user-token");
        assertThat(reopened.load("crm").orElseThrow().accessToken()).isEqualTo("shared-token");
        TokenStore k1Only = JdbcTokenStore.open(dataSource, TestKeys.in(dataSource, "switchboard_"), clock);
        assertThatThrownBy(() -> k1Only.load("crm")) // k1 alone no longer unwraps the data key
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("'k2'");
    }

    @Test
    void rowsHoldCiphertextOnlySealedUnderTheGrantsUser() throws Exception {
        store.compareAndSet("crm/tenant%2F7/u-42", 0, credential("very-secret", 1));
        store.compareAndSet("crm", 0, credential("shared-secret", 1));
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT token_key, payload FROM switchboard_tokens ORDER BY token_key")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("crm");
            assertThat(new String(r.getBytes(2), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("shared-secret");
            assertThat(Keys.scopeOf(r.getBytes(2))).isEqualTo(KeyScope.of("switchboard/tokens"));
            assertThat(r.next()).isTrue();
            assertThat(new String(r.getBytes(2), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("very-secret");
            assertThat(Keys.scopeOf(r.getBytes(2))).isEqualTo(KeyScope.user("tenant/7", "u-42"));
        }
    }

    @Test
    void aBlobCopiedToAnotherRowFailsItsIntegrityCheck() throws Exception {
        store.compareAndSet("a", 0, credential("token-a", 1));
        store.compareAndSet("b", 0, credential("token-b", 1));
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "UPDATE switchboard_tokens SET payload = (SELECT payload FROM switchboard_tokens WHERE token_key = 'a')"
                            + " WHERE token_key = 'b'");
        }
        assertThatThrownBy(() -> store.load("b"))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("integrity check")
                .hasMessageNotContaining("token-a");
        assertThat(store.load("a").orElseThrow().accessToken()).isEqualTo("token-a");
    }

    @Test
    void aCryptoShreddedUsersGrantIsGoneAndOthersStay() {
        store.compareAndSet("crm/t-1/u-1", 0, credential("u1", 1));
        store.compareAndSet("crm/t-1/u-2", 0, credential("u2", 1));
        store.compareAndSet("crm", 0, credential("shared", 1));

        assertThat(keys.destroy(KeyScope.user("t-1", "u-1"))).isEqualTo(1);
        assertThat(store.load("crm/t-1/u-1")).isEmpty();
        assertThat(store.load("crm/t-1/u-2").orElseThrow().accessToken()).isEqualTo("u2");
        assertThat(store.load("crm").orElseThrow().accessToken()).isEqualTo("shared");
        // the grant went with it: the user can authorize again, and versions go on
        assertThat(store.lastVersion("crm/t-1/u-1")).isEqualTo(1);
        assertThat(store.compareAndSet("crm/t-1/u-1", 1, credential("u1-again", 2)))
                .isTrue();
        assertThat(store.load("crm/t-1/u-1").orElseThrow().accessToken()).isEqualTo("u1-again");
    }
}
