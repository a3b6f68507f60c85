package dev.switchboard.testkit.storage;

import dev.switchboard.testkit.support.Databases;
import javax.sql.DataSource;

class H2JdbcSchemaTest extends JdbcSchemaContract {
    @Override
    protected DataSource database() {
        return Databases.newH2();
    }
}
