package dev.switchboard.testkit.audit;

import dev.switchboard.core.audit.AuditLog;
import dev.switchboard.core.audit.JdbcAuditLog;
import dev.switchboard.testkit.AuditLogContract;
import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcAuditLogTest extends AuditLogContract {
    private DataSource db;

    @Override
    protected AuditLog createLog() {
        db = Databases.newH2();
        return JdbcAuditLog.builder(db).build();
    }

    @Override
    protected AuditLog anotherInstance() {
        return JdbcAuditLog.builder(db).build();
    }
}
