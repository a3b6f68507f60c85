package dev.switchboard.testkit.consent;

import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.testkit.ConsentLedgerContract;
import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcConsentLedgerTest extends ConsentLedgerContract {
    private DataSource db;

    @Override
    protected ConsentLedger createLedger() {
        db = Databases.newH2();
        return JdbcConsentLedger.builder(db).build();
    }

    @Override
    protected ConsentLedger anotherInstance() {
        return JdbcConsentLedger.builder(db).build();
    }
}
