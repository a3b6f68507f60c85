package dev.switchboard.connectors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.Record;
import dev.switchboard.testkit.secrets.LeakChecks;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Canaries: one database holds both tenants' tickets, and tenant B's carry unique values in their subject
 * and requester email. A declared query binds the tenant from the reader's principal; tenant B reads it
 * first, then tenant A reads it and tries to name B's tenant, and none of B's canaries may reach A's
 * records, exceptions, the audit trail, the meters' tags or any log line. (Here isolation is the declared
 * query's, not row-level ACLs: a table's own stream is the whole table, by design.)
 */
class JdbcCanaryTest {
    private final AgentContext userOfA = AgentContext.of(Principal.user("ana", "acme"));
    private final AgentContext userOfB = AgentContext.of(Principal.user("bo", "globex"));

    @Test
    void noCanaryOfTenantBReachesAnythingOfTenantA() throws Exception {
        String subjectCanary = Secrets.canary();
        String emailCanary = Secrets.canary();
        DataSource db = H2JdbcConnectorTest.h2();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE tickets (id INTEGER PRIMARY KEY, tenant_id VARCHAR(10), subject VARCHAR(80),"
                    + " requester_email VARCHAR(80))");
            s.execute("INSERT INTO tickets VALUES (1, 'acme', 'Printer on fire', 'ana@acme.example'),"
                    + " (2, 'acme', 'VPN down', 'ana@acme.example')");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO tickets VALUES (3, 'globex', ?, ?)")) {
                p.setString(1, subjectCanary);
                p.setString(2, emailCanary + "@globex.example");
                p.execute();
            }
        }
        JdbcConnector connector = JdbcConnector.builder()
                .query(JdbcQuery.builder("my_tickets")
                        .sql("SELECT id, subject, requester_email FROM tickets WHERE tenant_id = :tenant_id")
                        .key("id")
                        .build())
                .build();
        InMemoryAuditSink audit = AuditSink.inMemory();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Switchboard sb = Switchboard.builder()
                .resource("db", db)
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .meterRegistry(meters)
                .connector(connector)
                .connection(ConnectionConfig.builder("db")
                        .connector("jdbc")
                        .settings(Map.of("dataSource", "db"))
                        .build())
                .build()) {
            List<Record> readByB = read(sb, userOfB, ReadRequest.of("my_tickets"));
            assertThat(TwoTenants.recordsHolding(readByB, subjectCanary))
                    .as("records of B with the canary")
                    .isPositive();

            List<Record> readByA = read(sb, userOfA, ReadRequest.of("my_tickets"));
            LeakChecks.assertNoSecretInRecords("tenant A's reads", readByA);
            assertThat(readByA).extracting(Record::id).containsExactlyInAnyOrder("1", "2");
            assertThatThrownBy(
                            () -> read(sb, userOfA, ReadRequest.of("my_tickets").where("tenant_id", "globex")))
                    .satisfies(Secrets::assertNoSecretIn);

            LeakChecks.assertNoSecretInAudit(audit.events());
            LeakChecks.assertNoSecretInMeters(meters);
            LeakChecks.assertNoSecretInLogs();
        }
    }

    private static List<Record> read(Switchboard sb, AgentContext user, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream r = sb.connection("db").read(user, request)) {
            r.forEach(records::add);
        }
        return records;
    }
}
