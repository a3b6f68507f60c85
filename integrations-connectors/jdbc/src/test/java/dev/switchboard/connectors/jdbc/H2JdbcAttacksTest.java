package dev.switchboard.connectors.jdbc;

import javax.sql.DataSource;

/** The named SQL injection attacks on H2. */
class H2JdbcAttacksTest extends JdbcAttacksContract {
    @Override
    DataSource newDatabase() {
        return H2JdbcConnectorTest.h2();
    }
}
