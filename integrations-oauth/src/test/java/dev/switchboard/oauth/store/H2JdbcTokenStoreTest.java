package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.testkit.TokenStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
        // the row went with it: the user can authorize again
        assertThat(store.compareAndSet("crm/t-1/u-1", 0, credential("u1-again", 1)))
                .isTrue();
        assertThat(store.load("crm/t-1/u-1").orElseThrow().accessToken()).isEqualTo("u1-again");
    }
}
