package dev.switchboard.testkit.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.governance.ConsentKey;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.ConsentRecord;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.core.keys.KeyScope;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.testkit.ConsentLedgerContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The ledger contract with prompts sealed ({@link JdbcConsentLedger.Builder#sealPrompts}), and what sealing adds:
 * the table holds no prompt or reason text, each sealed value names its key (the user's scope), a ledger without
 * the keys refuses to read it and says what to do, crypto-shredding leaves the decisions usable, and rows written
 * before sealing was turned on still read.
 */
abstract class SealedJdbcConsentLedgerContract extends ConsentLedgerContract {
    private static final String PROMPT = "Refund 20 EUR to Ada Lovelace (ticket 4711)?";
    private static final String REASON = "she called twice about it";

    /** The database of the ledger {@link #createLedger()} returned last. */
    abstract DataSource db();

    /** The table of the ledger {@link #createLedger()} returned last. */
    abstract String table();

    /** The keys of the ledger {@link #createLedger()} returned last. */
    abstract Keys keys();

    private ConsentRecord request(String id) {
        ConsentRecord r = new ConsentRecord(id, KEY, PROMPT, ConsentRecord.Status.PENDING, T0, T0.plus(TTL), null);
        ledger.request(r);
        return r;
    }

    @Test
    void theTableHoldsNoPromptOrReasonTextOnlyValuesSealedUnderTheUsersKey() throws Exception {
        request("req-1");
        ledger.decide("req-1", ConsentRecord.Status.APPROVED_ONCE, REASON, T0.plusSeconds(1));

        List<String> stored = raw("req-1");
        assertThat(stored).hasSize(2).allSatisfy(value -> {
            assertThat(value).doesNotContain("Ada").doesNotContain("Refund").doesNotContain("called twice");
            assertThat(value).startsWith("sealed:v1:");
            byte[] blob = Base64.getDecoder().decode(value.substring("sealed:v1:".length()));
            assertThat(Keys.scopeOf(blob)).isEqualTo(KeyScope.user(KEY.tenantId(), KEY.userId()));
        });
        ConsentRecord read = ledger.find("req-1").orElseThrow();
        assertThat(read.prompt()).isEqualTo(PROMPT);
        assertThat(read.reason()).isEqualTo(REASON);
    }

    @Test
    void aLedgerWithoutTheKeysRefusesASealedPromptAndSaysWhatToDo() {
        request("req-1");
        ConsentLedger withoutKeys =
                JdbcConsentLedger.builder(db()).table(table()).build();

        PermanentException refused = catchThrowableOfType(PermanentException.class, () -> withoutKeys.find("req-1"));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage())
                .contains("req-1")
                .contains("sealPrompts")
                .doesNotContain("Ada");
    }

    @Test
    void aSealedValueMovedToAnotherRowDoesNotOpen() throws Exception {
        request("req-1");
        request("req-2");
        String sealedOfFirst = raw("req-1").get(0);
        try (Connection c = db().getConnection();
                PreparedStatement s =
                        c.prepareStatement("UPDATE " + table() + " SET prompt = ? WHERE request_id = 'req-2'")) {
            c.setAutoCommit(true); // whatever the data source hands out: the edit must be visible to the ledger
            s.setString(1, sealedOfFirst);
            assertThat(s.executeUpdate()).as("rows edited").isEqualTo(1);
        }

        assertThat(catchThrowableOfType(PermanentException.class, () -> ledger.find("req-2")))
                .isNotNull();
        assertThat(ledger.find("req-1").orElseThrow().prompt()).isEqualTo(PROMPT);
    }

    @Test
    void afterTheUsersKeyIsDestroyedThePromptIsGoneAndTheDecisionStillHolds() {
        request("req-1");
        ledger.decide("req-1", ConsentRecord.Status.APPROVED_ONCE, REASON, T0.plusSeconds(1));

        keys().destroy(KeyScope.user(KEY.tenantId(), KEY.userId()));

        ConsentRecord read = ledger.find("req-1").orElseThrow();
        assertThat(read.prompt()).doesNotContain("Ada").contains("destroyed");
        assertThat(read.reason()).doesNotContain("called twice");
        assertThat(ledger.consume(KEY, T0.plusSeconds(2)))
                .map(ConsentRecord::requestId)
                .contains("req-1");
    }

    @Test
    void rowsWrittenBeforeSealingWasTurnedOnStillRead() {
        ConsentLedger plain = JdbcConsentLedger.builder(db()).table(table()).build();
        ConsentKey key = new ConsentKey("tenant-7", "u-42", "session-1", "slack-acme", "post_message", "sha256:old");
        plain.request(new ConsentRecord("old-1", key, PROMPT, ConsentRecord.Status.PENDING, T0, T0.plus(TTL), null));

        assertThat(ledger.find("old-1").orElseThrow().prompt()).isEqualTo(PROMPT);
    }

    /** The stored prompt and reason of a row, as the database holds them. */
    private List<String> raw(String requestId) throws SQLException {
        try (Connection c = db().getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT prompt, reason FROM " + table() + " WHERE request_id = ?")) {
            s.setString(1, requestId);
            try (ResultSet r = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) {
                    out.add(r.getString(1));
                    if (r.getString(2) != null) {
                        out.add(r.getString(2));
                    }
                }
                return out;
            }
        }
    }
}
