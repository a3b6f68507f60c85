package dev.switchboard.testkit.audit;

import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.JdbcAuditLog;
import dev.switchboard.testkit.AuditLogContract;
import dev.switchboard.testkit.support.Databases;

class PostgresJdbcAuditLogTest extends AuditLogContract {
    private String table;

    @Override
    protected AuditLog createLog() {
        table = Databases.freshTable("audit");
        return anotherInstance();
    }

    @Override
    protected AuditLog anotherInstance() {
        return JdbcAuditLog.builder(Databases.postgres()).table(table).build();
    }
}
