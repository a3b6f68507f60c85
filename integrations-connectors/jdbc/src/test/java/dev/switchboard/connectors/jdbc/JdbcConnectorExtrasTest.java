package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.connectors.jdbc.internal.NamedSql;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What is not database-specific: named SQL, settings checks, the pool of a JDBC URL, the unified model. */
class JdbcConnectorExtrasTest {
    static final AgentContext ANA =
            AgentContext.of(Principal.user("ana", "acme").withRoles("b", "a"));

    @Test
    void namedParametersSkipQuotesCommentsAndCasts() {
        NamedSql sql = NamedSql.parse("SELECT ':no', \"x:y\" FROM t -- :comment\n"
                + "WHERE a = :user_id AND b::text = :name /* :c */ AND r IN (:roles)");
        assertThat(sql.names()).containsExactly("user_id", "name", "roles");
        assertThat(sql.render(n -> n.equals("roles") ? 3 : 1))
                .isEqualTo("SELECT ':no', \"x:y\" FROM t -- :comment\n"
                        + "WHERE a = ? AND b::text = ? /* :c */ AND r IN (?, ?, ?)");
        assertThatThrownBy(() -> NamedSql.parse("SELECT 'open")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownSettingsFailTheBuildNamingTheKnownOnes() {
        DataSource db = H2JdbcConnectorTest.h2();
        assertThatThrownBy(() -> Switchboard.builder()
                        .resource("db", db)
                        .connection(ConnectionConfig.builder("db")
                                .connector("jdbc")
                                .settings(Map.of("dataSource", "db", "fetchsize", "10"))
                                .build())
                        .build())
                .hasStackTraceContaining("unknown setting 'fetchsize'")
                .hasStackTraceContaining("fetchSize");
        assertThatThrownBy(() -> Switchboard.builder()
                        .resource("db", db)
                        .connection(ConnectionConfig.builder("db")
                                .connector("jdbc")
                                .settings(Map.of("dataSource", "db", "postgres.settings", "app.user_id=user_id"))
                                .build())
                        .build())
                .hasStackTraceContaining("needs PostgreSQL");
    }

    @Test
    void aJdbcUrlOpensAPoolTheSwitchboardClosesAndNoMessageShowsThePassword() throws Exception {
        String url = "jdbc:h2:mem:owned-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
        try (Connection keep = DriverManager.getConnection(url, "sa", "s3cret-pw");
                Statement s = keep.createStatement()) {
            s.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject VARCHAR(50), status VARCHAR(10))");
            s.execute("INSERT INTO tickets VALUES (1, 'Printer on fire', 'open')");
            Switchboard sb = Switchboard.builder()
                    .resource("db-password", "s3cret-pw")
                    .accessPolicy(AccessPolicy.allowAll())
                    .connection(ConnectionConfig.builder("db")
                            .connector("jdbc")
                            .settings(Map.of("jdbcUrl", url, "user", "sa", "passwordResource", "db-password"))
                            .build())
                    .build();
            try (RecordStream r = sb.connection("db").read(ANA, ReadRequest.of("tickets"))) {
                assertThat(r.iterator().next().data().string("subject")).isEqualTo("Printer on fire");
            }
            assertThat(sessions(s)).isGreaterThan(1);
            sb.close();
            assertThat(sessions(s))
                    .as("the pool's connections, closed with the Switchboard")
                    .isEqualTo(1);

            assertThatThrownBy(() -> Switchboard.builder()
                            .resource("db-password", "wrong-pw")
                            .accessPolicy(AccessPolicy.allowAll())
                            .connection(ConnectionConfig.builder("db")
                                    .connector("jdbc")
                                    .settings(Map.of(
                                            "jdbcUrl", url + ";PASSWORD_HINT=wrong-pw",
                                            "user", "sa",
                                            "passwordResource", "db-password"))
                                    .build())
                            .build())
                    .satisfies(e -> {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t.getMessage()))
                                    .doesNotContain("wrong-pw")
                                    .doesNotContain(url);
                        }
                    });
        }
    }

    private static long sessions(Statement s) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void declaredQueriesBindThePrincipalAndTheRequestsParameters() throws Exception {
        DataSource db = H2JdbcConnectorTest.h2();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, tenant_id VARCHAR(10), status VARCHAR(10),"
                    + " assignee_role VARCHAR(10))");
            s.execute("INSERT INTO tickets VALUES (1, 'acme', 'open', 'a'), (2, 'acme', 'closed', 'b'),"
                    + " (3, 'globex', 'open', 'a'), (4, 'acme', 'open', 'c'), (5, 'acme', 'open', 'b')");
        }
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("my_open_tickets")
                        .sql("SELECT id, status FROM tickets WHERE tenant_id = :tenant_id AND status = :status"
                                + " AND assignee_role IN (:roles)")
                        .key("id")
                        .build())
                .build();
        try (Switchboard sb = Switchboard.builder()
                .resource("db", db)
                .accessPolicy(AccessPolicy.allowAll())
                .connector(connector)
                .connection(ConnectionConfig.builder("db")
                        .connector("jdbc")
                        .settings(Map.of("dataSource", "db"))
                        .build())
                .build()) {
            List<String> ids = new ArrayList<>();
            try (RecordStream r = sb.connection("db")
                    .read(ANA, ReadRequest.of("my_open_tickets").where("status", "open"))) {
                r.forEach(rec -> ids.add(rec.id()));
            }
            assertThat(ids).containsExactly("1", "5");
            assertThatThrownBy(() -> sb.connection("db")
                            .read(ANA, ReadRequest.of("my_open_tickets"))
                            .iterator()
                            .hasNext())
                    .hasStackTraceContaining("needs parameter 'status'");
            assertThatThrownBy(() -> sb.connection("db")
                            .read(
                                    ANA,
                                    ReadRequest.of("my_open_tickets")
                                            .where("status", "open")
                                            .where("tenant_id", "globex"))
                            .iterator()
                            .hasNext())
                    .hasStackTraceContaining("bound from the reader's principal");
        }
    }

    @Test
    void conventionalTablesAndConfiguredOnesBecomeEntities() {
        Normalizer standard = Normalizer.standard();
        Entity ticket = standard.normalize(record(
                "tickets",
                JsonObject.builder()
                        .put("id", "7")
                        .put("subject", "Printer on fire")
                        .put("status", "pending")
                        .put("priority", "urgent")
                        .build()));
        assertThat(ticket.type()).isEqualTo(EntityType.TICKET);
        assertThat(ticket.get(Ticket.SUBJECT)).contains("Printer on fire");
        assertThat(ticket.get(Ticket.STATUS).orElseThrow().code()).isEqualTo(TicketStatus.PENDING);

        ConnectionConfig config = ConnectionConfig.builder("db")
                .connector("jdbc")
                .settings(Map.of(
                        "dataSource", "db", "entity.accounts", "customer", "field.accounts.name", "company_name"))
                .build();
        Normalizer configured = Normalizer.builder()
                .fieldMappings("db", JdbcConnector.fieldMappings(config))
                .build();
        Entity account = configured.normalize(record(
                "accounts",
                JsonObject.builder()
                        .put("id", "9")
                        .put("company_name", "Acme Corp")
                        .build()));
        assertThat(account.type()).isEqualTo(EntityType.ORGANIZATION);
        assertThat(account.get(Organization.NAME)).contains("Acme Corp");
        assertThatThrownBy(() -> JdbcConnector.fieldMappings(ConnectionConfig.builder("db")
                        .connector("jdbc")
                        .settings(Map.of("entity.accounts", "spaceship"))
                        .build()))
                .hasMessageContaining("spaceship")
                .hasMessageContaining("customer");
    }

    private static Record record(String stream, JsonObject data) {
        return Record.builder().stream(stream)
                .id(((JsonString) data.get("id")).value())
                .source(new RecordSource("jdbc", "db", stream))
                .data(data)
                .build();
    }
}
