package dev.switchboard.testkit.consent;

import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.testkit.support.Databases;
import dev.switchboard.testkit.support.TestKeys;
import javax.sql.DataSource;

/** The JDBC ledger on H2 with prompts sealed. */
class H2SealedJdbcConsentLedgerTest extends SealedJdbcConsentLedgerContract {
    private DataSource db;
    private Keys keys;

    @Override
    protected ConsentLedger createLedger() {
        db = Databases.newH2();
        keys = TestKeys.in(db);
        return anotherInstance();
    }

    @Override
    protected ConsentLedger anotherInstance() {
        return JdbcConsentLedger.builder(db).sealPrompts(keys).build();
    }

    @Override
    DataSource db() {
        return db;
    }

    @Override
    String table() {
        return "switchboard_consents";
    }

    @Override
    Keys keys() {
        return keys;
    }
}
