package dev.switchboard.oauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.PermanentException;
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

    @Override
    protected TokenStore createStore(ManualClock clock) {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:tokens-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return JdbcTokenStore.open(dataSource, TestKeys.k1(), clock);
    }

    @Test
    void rowsHoldCiphertextOnly() throws Exception {
        store.compareAndSet("conn", 0, credential("very-secret", 1));
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT payload FROM switchboard_tokens")) {
            assertThat(r.next()).isTrue();
            assertThat(new String(r.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("very-secret");
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
                .hasMessageContaining("integrity check");
        assertThat(store.load("a").orElseThrow().accessToken()).isEqualTo("token-a");
    }
}
