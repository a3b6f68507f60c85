package dev.switchboard.testkit.quarantine;

import dev.switchboard.core.drift.JdbcQuarantineStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.testkit.QuarantineStoreContract;
import dev.switchboard.testkit.support.Databases;
import dev.switchboard.testkit.support.TestKeys;

/** The contract against a real PostgreSQL (embedded, started once per test JVM). */
class PostgresJdbcQuarantineStoreTest extends QuarantineStoreContract {
    private String table;

    private QuarantineStore open() {
        return JdbcQuarantineStore.builder(Databases.postgres())
                .table(table)
                .keys(TestKeys.in(Databases.postgres(), table + "_keys"))
                .build();
    }

    @Override
    protected QuarantineStore createStore() {
        // A fresh table per test keeps the tests independent without restarting the database.
        table = Databases.freshTable("quarantine");
        return open();
    }

    @Override
    protected QuarantineStore reopen() {
        return open();
    }
}
