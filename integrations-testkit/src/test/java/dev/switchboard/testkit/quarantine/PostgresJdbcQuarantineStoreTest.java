package dev.switchboard.testkit.quarantine;

import dev.switchboard.core.drift.JdbcQuarantineStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.testkit.QuarantineStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

/** The contract against a real PostgreSQL (embedded, started once per test JVM). */
class PostgresJdbcQuarantineStoreTest extends QuarantineStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private String table;

    @Override
    protected QuarantineStore createStore() {
        // A fresh table per test keeps the tests independent without restarting the database.
        table = "quarantine_" + TABLES.incrementAndGet();
        return JdbcQuarantineStore.builder(EmbeddedPostgres.dataSource())
                .table(table)
                .build()
                .createTableIfMissing();
    }

    @Override
    protected QuarantineStore reopen() {
        return JdbcQuarantineStore.builder(EmbeddedPostgres.dataSource())
                .table(table)
                .build()
                .createTableIfMissing();
    }
}
