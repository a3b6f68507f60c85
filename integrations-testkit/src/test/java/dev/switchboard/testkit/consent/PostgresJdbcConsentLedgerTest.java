package dev.switchboard.testkit.consent;

import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.testkit.ConsentLedgerContract;
import dev.switchboard.testkit.support.Databases;

class PostgresJdbcConsentLedgerTest extends ConsentLedgerContract {
    private String table;

    @Override
    protected ConsentLedger createLedger() {
        table = Databases.freshTable("consents");
        return anotherInstance();
    }

    @Override
    protected ConsentLedger anotherInstance() {
        return JdbcConsentLedger.builder(Databases.postgres()).table(table).build();
    }
}
