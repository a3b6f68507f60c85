package dev.switchboard.connectors.jdbc;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The JDBC connector's contract on H2 (identifiers folded to lower case, as PostgreSQL folds them). */
class H2JdbcConnectorTest extends JdbcConnectorContract {
    static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:jdbc-a-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE");
        return ds;
    }

    @Override
    DataSource newDatabase() {
        return h2();
    }

    @Override
    String timestamptz() {
        return "TIMESTAMP WITH TIME ZONE";
    }

    @Override
    String jsonType() {
        return "JSON";
    }

    @Override
    String json(String text) {
        return "JSON '" + text + "'";
    }

    @Override
    String binaryType() {
        return "VARBINARY(100)";
    }

    @Override
    String binary(String hex) {
        return "X'" + hex + "'";
    }
}
