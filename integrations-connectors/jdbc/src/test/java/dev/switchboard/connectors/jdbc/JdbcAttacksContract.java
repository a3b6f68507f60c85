package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.secrets.LeakChecks;
import dev.switchboard.testkit.secrets.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The named attacks on the JDBC connector, through the public {@code Switchboard} API: SQL injection through
 * read filters, a declared query's parameters and action arguments. Values are bound parameters, so a quote
 * returns nothing extra and a {@code DROP TABLE} changes nothing (the tables keep their rows); identifiers
 * from input (columns, streams) are refused, never spliced. Tenant B's row holds a canary that tenant A's
 * reads must never return. Run on H2 and on embedded PostgreSQL.
 */
abstract class JdbcAttacksContract {
    private static final AgentContext ANA = AgentContext.of(Principal.user("ana", "acme"));

    private DataSource db;
    private Switchboard sb;
    private String canary;

    /** A fresh, empty database. */
    abstract DataSource newDatabase();

    @BeforeEach
    void open() throws SQLException {
        db = newDatabase();
        canary = Secrets.canary();
        sql("CREATE TABLE customers (id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                + " tenant_id VARCHAR(20) NOT NULL)");
        sql("INSERT INTO customers VALUES (1, 'Ada', 'acme'), (2, 'Grace', 'acme')");
        try (Connection c = db.getConnection();
                PreparedStatement p = c.prepareStatement("INSERT INTO customers VALUES (3, ?, 'globex')")) {
            p.setString(1, canary);
            p.execute();
        }
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("my_customers")
                        .sql("SELECT id, name FROM customers WHERE tenant_id = :tenant_id AND name = :name")
                        .key("id")
                        .build())
                .action(JdbcAction.builder("rename_customer")
                        .description("Renames one of the tenant's customers")
                        .sql("UPDATE customers SET name = :name WHERE id = :id AND tenant_id = :tenant_id")
                        .parameter(JdbcParameter.required("id", JdbcParameter.Type.INTEGER))
                        .parameter(JdbcParameter.required("name", JdbcParameter.Type.STRING))
                        .effect(Effect.WRITE)
                        .affects("customers", "id")
                        .build())
                .build();
        sb = Switchboard.builder()
                .resource("db", db)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .connector(connector)
                .connection(ConnectionConfig.builder("db")
                        .connector("jdbc")
                        .settings(Map.of(JdbcConnector.DATA_SOURCE, "db", "tables", "customers"))
                        .build())
                .build();
    }

    @AfterEach
    void close() {
        sb.close();
    }

    @Test
    void aQuoteAndOrInAFilterValueReturnsNothingExtra() {
        List<Record> found = read(ReadRequest.of("customers").where("name", "x' OR '1'='1"));

        assertThat(found).isEmpty();
        assertThat(read(ReadRequest.of("customers").where("name", "Ada")))
                .extracting(Record::id)
                .containsExactly("1");
        LeakChecks.assertNoSecretInRecords("tenant A's reads", found);
    }

    @Test
    void aDropTableInAFilterValueChangesNothing() {
        for (String hostile : List.of(
                "'; DROP TABLE customers; --", "x'); DROP TABLE customers; --", "x\\'; DROP TABLE customers; --")) {
            assertThat(read(ReadRequest.of("customers").where("name", hostile)))
                    .as("rows for %s", hostile)
                    .isEmpty();
        }

        assertThat(count("customers")).isEqualTo(3);
    }

    @Test
    void wildcardsInAFilterValueMatchOnlyThemselves() {
        assertThat(read(ReadRequest.of("customers").where("name", "%"))).isEmpty();
        assertThat(read(ReadRequest.of("customers").where("name", "A_a"))).isEmpty();
    }

    @Test
    void aDeclaredQuerysParameterIsBoundAndTheTenantComesFromThePrincipal() {
        List<Record> found = read(ReadRequest.of("my_customers").where("name", "x' OR tenant_id <> 'acme"));

        assertThat(found).isEmpty();
        assertThat(read(ReadRequest.of("my_customers").where("name", "Grace")))
                .extracting(Record::id)
                .containsExactly("2");
        // Naming the tenant is refused: it is the principal's, never the input's.
        SwitchboardException refused = catchThrowableOfType(
                SwitchboardException.class,
                () -> read(ReadRequest.of("my_customers").where("name", canary).where("tenant_id", "globex")));
        assertThat(refused).isNotNull();
        Secrets.assertNoSecretIn(refused);
    }

    @Test
    void aColumnNameFromInputIsRefusedNotSpliced() {
        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> read(ReadRequest.of("customers").where("name = name OR 1=1 --", "x")));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
    }

    @Test
    void aStreamNameCarryingSqlIsRefusedAndChangesNothing() {
        SwitchboardException refused = catchThrowableOfType(
                SwitchboardException.class, () -> read(ReadRequest.of("customers; DROP TABLE customers; --")));

        assertThat(refused).isNotNull();
        assertThat(count("customers")).isEqualTo(3);
    }

    @Test
    void sqlInAnActionArgumentIsStoredAsTextAndChangesNothingElse() {
        String hostile = "Ada'; DROP TABLE customers; --";

        sb.connection("db")
                .execute(
                        ANA,
                        "rename_customer",
                        JsonObject.builder().put("id", 1).put("name", hostile).build());

        assertThat(count("customers")).isEqualTo(3);
        assertThat(name(1)).isEqualTo(hostile);
        assertThat(name(2)).isEqualTo("Grace");
        assertThat(name(3)).isEqualTo(canary);
    }

    @Test
    void sqlInAnIntegerActionArgumentIsRefusedBeforeTheStatementRuns() {
        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> sb.connection("db")
                        .execute(
                                ANA,
                                "rename_customer",
                                JsonObject.builder()
                                        .put("id", "1 OR 1=1")
                                        .put("name", "Everyone")
                                        .build()));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(name(1)).isEqualTo("Ada");
        assertThat(name(2)).isEqualTo("Grace");
    }

    private List<Record> read(ReadRequest request) {
        List<Record> out = new ArrayList<>();
        try (RecordStream s = sb.connection("db").read(ANA, request)) {
            s.forEach(out::add);
        }
        return out;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long count(String table) {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String name(int id) {
        try (Connection c = db.getConnection();
                PreparedStatement p = c.prepareStatement("SELECT name FROM customers WHERE id = ?")) {
            p.setInt(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
