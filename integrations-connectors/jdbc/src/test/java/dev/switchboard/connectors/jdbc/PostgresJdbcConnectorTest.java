package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.connectors.jdbc.support.TestDatabases;
import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The JDBC connector's contract on PostgreSQL, and PostgreSQL's own row-level security. */
class PostgresJdbcConnectorTest extends JdbcConnectorContract {
    private static int roles;

    @Override
    DataSource newDatabase() {
        return TestDatabases.newPostgresDatabase();
    }

    @Override
    String timestamptz() {
        return "timestamptz";
    }

    @Override
    String jsonType() {
        return "jsonb";
    }

    @Override
    String json(String text) {
        return "'" + text + "'::jsonb";
    }

    @Override
    String binaryType() {
        return "bytea";
    }

    @Override
    String binary(String hex) {
        return "'\\x" + hex + "'::bytea";
    }

    /**
     * The database's own policies read the principal from SET LOCAL settings, as a role that owns no table
     * (the owner and the superuser bypass row-level security), through a pool of one connection: the same
     * physical connection serves one principal, then another, and carries nothing from one to the next.
     */
    @Test
    void postgresPoliciesReadThePrincipalFromSettingsAndAPooledConnectionLeaksNothing() throws Exception {
        customers(6, -1);
        String role = "reader_" + (++roles) + "_" + System.nanoTime() % 100000;
        sql(
                "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'",
                "GRANT SELECT ON customers TO " + role,
                "ALTER TABLE customers ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY tenant_rows ON customers FOR SELECT USING"
                        + " (tenant_id = current_setting('app.tenant_id', true))");
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(TestDatabases.postgresDataSource(TestDatabases.databaseOf(db), role, "pw"));
        hc.setMaximumPoolSize(1);
        try (HikariDataSource pool = new HikariDataSource(hc);
                Switchboard sb = Switchboard.builder()
                        .resource("support-db", pool)
                        .accessPolicy(AccessPolicy.allowAll())
                        .connection(ConnectionConfig.builder("db")
                                .connector("jdbc")
                                .settings(Map.of(
                                        JdbcConnector.DATA_SOURCE,
                                        "support-db",
                                        JdbcConnector.TABLES,
                                        "customers",
                                        JdbcConnector.POSTGRES_SETTINGS,
                                        "app.tenant_id=tenant_id,app.user_id=user_id",
                                        JdbcConnector.TENANT_COLUMN_PREFIX + "customers",
                                        "tenant_id"))
                                .build())
                        .build()) {
            List<Record> ana = readAll(sb, ANA, ReadRequest.of("customers"));
            assertThat(ids(ana)).containsExactly("2", "4", "6");
            List<Record> bob = readAll(sb, BOB, ReadRequest.of("customers"));
            assertThat(ids(bob)).containsExactly("1", "3", "5");
            AgentContext eve = AgentContext.of(Principal.user("eve", "initech"));
            assertThat(readAll(sb, eve, ReadRequest.of("customers"))).isEmpty();
            // The one pooled connection, after three principals: no setting survived their transactions.
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT coalesce(current_setting('app.tenant_id', true), ''),"
                            + " (SELECT count(*) FROM customers), pg_backend_pid()")) {
                rs.next();
                assertThat(rs.getString(1)).isEmpty();
                assertThat(rs.getLong(2))
                        .as("rows visible without the settings")
                        .isZero();
            }
        }
    }

    /** A statement that returns what it touched reports those rows, with the version a read gives them. */
    @Test
    void returningActionsReportTheRowsTheyTouchedWithTheirVersion() {
        customers(4, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .action(JdbcAction.builder("rename_mine")
                        .description("Renames the caller's tenant's customers")
                        .sql("UPDATE customers SET name = :name WHERE tenant_id = :tenant_id RETURNING *")
                        .parameter(JdbcParameter.required("name", JdbcParameter.Type.STRING))
                        .affectsReturned("customers")
                        .build())
                .build();
        try (Switchboard sb = switchboard(Map.of()).connector(connector).build()) {
            ActionResult result = sb.connection("db").execute(ANA, "rename_mine", Map.of("name", "Acme"));
            assertThat(result.affected()).extracting(RecordRef::id).containsExactlyInAnyOrder("2", "4");
            assertThat(result.output().number("rowCount")).isEqualByComparingTo("2");
            Record read = readAll(sb, ANA, ReadRequest.of("customers").where("id", "2"))
                    .get(0);
            RecordRef two = result.affected().stream()
                    .filter(r -> r.id().equals("2"))
                    .findFirst()
                    .orElseThrow();
            assertThat(two.version()).isEqualTo(read.version());
        }
    }

    /** A connection lost while the statement runs (before any commit) is transient: nothing was written. */
    @Test
    void aConnectionLostDuringAWriteIsTransient() {
        customers(1, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .action(JdbcAction.builder("doomed")
                        .sql(
                                "DO $$ BEGIN UPDATE customers SET name = 'x'; PERFORM pg_terminate_backend(pg_backend_pid());"
                                        + " PERFORM pg_sleep(5); END $$")
                        .build())
                .build();
        try (Switchboard sb = switchboard(Map.of()).connector(connector).build()) {
            assertThatThrownBy(() -> sb.connection("db").execute(ANA, "doomed", Map.of()))
                    .isInstanceOf(TransientException.class);
            assertThat(readAll(sb, ANA, ReadRequest.of("customers"))
                            .get(0)
                            .data()
                            .string("name"))
                    .isEqualTo("c1");
        }
    }

    /** A read slower than the statement timeout is cancelled by the database and reported as transient. */
    @Test
    void aReadOverTheStatementTimeoutIsCancelledAsTransient() {
        customers(1, -1);
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("slow")
                        .sql("SELECT c.id, c.name FROM customers c, pg_sleep(3) s")
                        .key("id")
                        .build())
                .build();
        try (Switchboard sb = switchboard(Map.of(JdbcConnector.STATEMENT_TIMEOUT, "1"))
                .connector(connector)
                .build()) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> readAll(sb, ANA, ReadRequest.of("slow")))
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("57014");
            // Generous: the bound is that nobody waited out the whole sleep on every attempt.
            assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(30));
        }
    }
}
