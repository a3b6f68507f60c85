package dev.switchboard.testkit.consent;

import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.JdbcConsentLedger;
import dev.switchboard.core.keys.Keys;
import dev.switchboard.testkit.support.Databases;
import dev.switchboard.testkit.support.TestKeys;
import javax.sql.DataSource;

/** The JDBC ledger on PostgreSQL with prompts sealed. */
class PostgresSealedJdbcConsentLedgerTest extends SealedJdbcConsentLedgerContract {
    private String table;
    private Keys keys;

    @Override
    protected ConsentLedger createLedger() {
        table = Databases.freshTable("sealed_consents");
        keys = TestKeys.in(Databases.postgres(), table + "_keys");
        return anotherInstance();
    }

    @Override
    protected ConsentLedger anotherInstance() {
        return JdbcConsentLedger.builder(Databases.postgres())
                .table(table)
                .sealPrompts(keys)
                .build();
    }

    @Override
    DataSource db() {
        return Databases.postgres();
    }

    @Override
    String table() {
        return table;
    }

    @Override
    Keys keys() {
        return keys;
    }
}
