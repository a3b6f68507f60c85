package dev.switchboard.testkit.storage;

import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class PostgresJdbcSchemaTest extends JdbcSchemaContract {
    @Override
    protected DataSource database() {
        return Databases.postgres();
    }
}
