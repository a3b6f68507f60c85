package dev.switchboard.testkit.storage;

import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class PostgresQuarantineUpgradeTest extends QuarantineUpgradeContract {
    @Override
    protected DataSource database() {
        return Databases.postgres();
    }
}
