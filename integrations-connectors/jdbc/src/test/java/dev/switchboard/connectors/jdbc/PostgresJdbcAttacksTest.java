package dev.switchboard.connectors.jdbc;

import dev.switchboard.connectors.jdbc.support.TestDatabases;
import javax.sql.DataSource;

/** The named SQL injection attacks on embedded PostgreSQL. */
class PostgresJdbcAttacksTest extends JdbcAttacksContract {
    @Override
    DataSource newDatabase() {
        return TestDatabases.newPostgresDatabase();
    }
}
