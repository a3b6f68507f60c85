package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordRef;
import dev.switchboard.core.support.Inventory;
import dev.switchboard.core.support.InventoryConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connector that needs no HTTP (the inventory in the application's own H2 database, handed over as a
 * resource), end to end through a Switchboard: no base URL, no credentials, reads governed and audited
 * like any other, actions that report what they touched.
 */
class ConnectorWithoutHttpTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final Inventory inventory = new Inventory();
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final AgentContext mallory = AgentContext.of(Principal.user("mallory", "globex"));
    private Switchboard switchboard;

    private static ConnectionConfig stock(String resource) {
        return ConnectionConfig.builder("stock-acme")
                .connector(InventoryConnector.ID)
                .settings(Map.of(InventoryConnector.DATA_SOURCE, resource, InventoryConnector.TENANT, "acme"))
                .build();
    }

    @BeforeEach
    void setUp() {
        inventory
                .put("e1", "east", 10, "2026-03-01T10:01:00Z")
                .put("w1", "west", 20, "2026-03-01T10:00:00Z")
                .put("e2", "east", 30, "2026-03-01T10:02:00Z");
        inventory.delete("e2", "2026-03-01T10:03:00Z");
        switchboard = Switchboard.builder()
                .connector(new InventoryConnector())
                .resource("inventory-db", inventory.dataSource())
                .connection(stock("inventory-db")) // no base URL, and no token store: none is needed
                .accessPolicy(AccessPolicy.rowLevel())
                .consentGate(ConsentGate.approveAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
        inventory.close();
    }

    private List<Record> read(AgentContext context) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stock = switchboard.connection("stock-acme").read(context, ReadRequest.of("stock"))) {
            stock.forEach(records::add);
        }
        return records;
    }

    @Test
    void readsTheApplicationsDatabaseThroughTheResource() {
        List<Record> records = read(alice);

        assertThat(records).extracting(Record::id).containsExactly("e1", "e2", "w1");
        assertThat(records.get(0).data())
                .isEqualTo(JsonObject.builder()
                        .put("id", "e1")
                        .put("warehouse", "east")
                        .put("quantity", 10)
                        .put("updated_at", "2026-03-01T10:01:00Z")
                        .build());
        assertThat(records.get(1).deleted()).isTrue();
        assertThat(records.get(1).deletedAt()).isEqualTo(Instant.parse("2026-03-01T10:03:00Z"));
        // Another tenant's user is given none of acme's stock.
        assertThat(read(mallory)).isEmpty();
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.READ)
                .extracting(AuditEvent::recordCount)
                .containsExactly(3L, 0L);
    }

    @Test
    void anActionWritesTheDatabaseAndReportsTheItem() {
        clock.advance(Duration.ofMinutes(5));

        ActionResult result =
                switchboard.connection("stock-acme").execute(alice, "adjust_stock", Map.of("id", "w1", "delta", -4));

        assertThat(inventory.quantity("w1")).isEqualTo(16);
        assertThat(result.affected()).containsExactly(new RecordRef("stock", "w1", false, "2026-03-01T12:05:00Z"));
        assertThat(read(alice))
                .filteredOn(r -> r.id().equals("w1"))
                .singleElement()
                .satisfies(r -> assertThat(r.data().number("quantity")).isEqualByComparingTo("16"));
        assertThatThrownBy(() -> switchboard
                        .connection("stock-acme")
                        .execute(alice, "adjust_stock", Map.of("id", "e2", "delta", 1)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT);
                    assertThat(e.getMessage()).contains("no item 'e2'");
                });
    }

    @Test
    void aConnectionNamingAMissingOrMistypedResourceFailsAtBuild() {
        assertThatThrownBy(() -> Switchboard.builder()
                        .connector(new InventoryConnector())
                        .resource("inventory-db", inventory.dataSource())
                        .connection(stock("inventroy-db"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'inventroy-db'")
                .hasMessageContaining("[inventory-db]");
        assertThatThrownBy(() -> Switchboard.builder()
                        .connector(new InventoryConnector())
                        .resource("inventory-db", "jdbc:h2:mem:not-a-data-source")
                        .connection(stock("inventory-db"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("javax.sql.DataSource");
    }
}
