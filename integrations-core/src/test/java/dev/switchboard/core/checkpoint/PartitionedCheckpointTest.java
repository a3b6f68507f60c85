package dev.switchboard.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.Inventory;
import dev.switchboard.core.support.InventoryConnector;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream of several partitions (the inventory's warehouses, each with its own cursor): a checkpoint
 * resumes each partition after its own position, look-back overlap is delivered again without moving
 * the checkpoint back or growing it, and a checkpoint resumes only the filter it was taken with.
 */
class PartitionedCheckpointTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final Inventory inventory = new Inventory();
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final List<Switchboard> switchboards = new ArrayList<>();

    @BeforeEach
    void stock() {
        // Each warehouse has its own clock skew: east's items are later than west's.
        inventory
                .put("e1", "east", 10, "2026-03-01T10:01:00Z")
                .put("e2", "east", 10, "2026-03-01T10:02:00Z")
                .put("e3", "east", 10, "2026-03-01T10:03:00Z")
                .put("e4", "east", 10, "2026-03-01T10:04:00Z")
                .put("e5", "east", 10, "2026-03-01T10:05:00Z")
                .put("w1", "west", 20, "2026-03-01T10:00:00Z")
                .put("w2", "west", 20, "2026-03-01T10:01:00Z")
                .put("w3", "west", 20, "2026-03-01T10:02:00Z")
                .put("w4", "west", 20, "2026-03-01T10:04:00Z");
    }

    @AfterEach
    void close() {
        switchboards.forEach(Switchboard::close);
        inventory.close();
    }

    private RecordStream read(String lookback, ReadRequest request) {
        Map<String, String> settings = new HashMap<>(
                Map.of(InventoryConnector.DATA_SOURCE, "inventory-db", InventoryConnector.TENANT, "acme"));
        if (lookback != null) {
            settings.put(InventoryConnector.LOOKBACK, lookback);
        }
        Switchboard sb = Switchboard.builder()
                .connector(new InventoryConnector())
                .resource("inventory-db", inventory.dataSource())
                .connection(ConnectionConfig.builder("stock-acme")
                        .connector(InventoryConnector.ID)
                        .settings(settings)
                        .build())
                .accessPolicy(AccessPolicy.rowLevel())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        switchboards.add(sb);
        return sb.connection("stock-acme").read(alice, request);
    }

    private static List<String> ids(RecordStream stream) {
        List<String> ids = new ArrayList<>();
        stream.forEach(r -> ids.add(r.id()));
        return ids;
    }

    @Test
    void aCheckpointResumesEachPartitionAfterItsOwnPosition() {
        List<String> first = new ArrayList<>();
        Checkpoint stopped;
        try (RecordStream stock = read(null, ReadRequest.of("stock").pageSize(2))) {
            Iterator<Record> it = stock.iterator();
            while (first.size() < 6) { // east whole, then west's first record: mid-page
                first.add(it.next().id());
            }
            stopped = stock.checkpoint();
        }
        assertThat(first).containsExactly("e1", "e2", "e3", "e4", "e5", "w1");
        assertThat(stopped.positions())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "east", Position.in("east", "2026-03-01T10:05:00Z", "e5"),
                        "west", Position.in("west", "2026-03-01T10:00:00Z", "w1")));

        // Meanwhile: west gets an item later than its own position but earlier than east's, east a later one.
        inventory.put("w5", "west", 20, "2026-03-01T10:03:00Z").put("e6", "east", 10, "2026-03-01T10:06:00Z");
        Checkpoint resumed = Checkpoint.parse(stopped.value()); // as an application would store it

        List<String> rest;
        Checkpoint end;
        try (RecordStream stock = read(null, ReadRequest.of("stock").pageSize(2).since(resumed))) {
            rest = ids(stock);
            end = stock.checkpoint();
        }
        // One cursor for the stream would lose w2..w5 (all before 10:05) or repeat east (if it kept west's).
        assertThat(rest).containsExactly("e6", "w2", "w3", "w5", "w4");
        List<String> all = new ArrayList<>(first);
        all.addAll(rest);
        assertThat(all)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e5", "e6", "w1", "w2", "w3", "w4", "w5");
        assertThat(end.positions())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "east", Position.in("east", "2026-03-01T10:06:00Z", "e6"),
                        "west", Position.in("west", "2026-03-01T10:04:00Z", "w4")));
    }

    @Test
    void lookBackOverlapIsDeliveredAgainWithoutMovingTheCheckpointBackOrGrowingIt() {
        Checkpoint afterAll;
        try (RecordStream stock = read("PT2M30S", ReadRequest.of("stock"))) {
            assertThat(ids(stock)).hasSize(9);
            afterAll = stock.checkpoint();
        }

        // Nothing changed: the look-back re-reads 2.5 minutes before each warehouse's position.
        try (RecordStream stock = read("PT2M30S", ReadRequest.of("stock").since(afterAll))) {
            assertThat(ids(stock)).containsExactly("e3", "e4", "e5", "w3", "w4");
            assertThat(stock.checkpoint()).isEqualTo(afterAll);
        }

        // A transaction that committed late: its item is older than east's position, inside the look-back.
        inventory.put("e0", "east", 10, "2026-03-01T10:03:30Z");
        for (int i = 0; i < 150; i++) {
            inventory.put("late-" + (1000 + i), "west", 1, "2026-03-01T10:03:00Z");
        }
        List<String> again;
        Checkpoint afterOverlap;
        try (RecordStream stock = read("PT2M30S", ReadRequest.of("stock").since(afterAll))) {
            again = ids(stock);
            afterOverlap = stock.checkpoint();
        }
        assertThat(again).hasSize(5 + 1 + 150).contains("e0", "late-1000", "late-1149");
        // Delivered at least once, and the checkpoint neither went back to them nor grew with them.
        assertThat(afterOverlap).isEqualTo(afterAll);
        assertThat(afterOverlap.value()).hasSameSizeAs(afterAll.value());

        // A record after the position still moves it.
        inventory.put("e7", "east", 10, "2026-03-01T10:07:00Z");
        try (RecordStream stock = read("PT2M30S", ReadRequest.of("stock").since(afterAll))) {
            assertThat(ids(stock)).contains("e7");
            assertThat(stock.checkpoint().position("east")).contains(Position.in("east", "2026-03-01T10:07:00Z", "e7"));
            assertThat(stock.checkpoint().position("west")).isEqualTo(afterAll.position("west"));
        }
    }

    @Test
    void aCheckpointFromAnotherFilterIsRefused() {
        Checkpoint east;
        try (RecordStream stock = read(null, ReadRequest.of("stock").where("warehouse", "east"))) {
            assertThat(ids(stock)).containsExactly("e1", "e2", "e3", "e4", "e5");
            east = stock.checkpoint();
        }
        for (ReadRequest other : List.of(
                ReadRequest.of("stock").where("warehouse", "west").since(east),
                ReadRequest.of("stock").since(east))) {
            assertThatThrownBy(() -> read(null, other)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.nextStep()).isEqualTo(NextStep.FIX_INPUT);
                assertThat(e.getMessage())
                        .contains("another filter")
                        .contains("resume with the filter it was taken with");
            });
        }

        inventory.put("e6", "east", 10, "2026-03-01T10:06:00Z");
        try (RecordStream stock =
                read(null, ReadRequest.of("stock").where("warehouse", "east").since(east))) {
            assertThat(ids(stock)).containsExactly("e6");
        }
    }

    @Test
    void aCheckpointWithoutADigestIsAcceptedUnderAnyFilter() {
        try (RecordStream stock =
                read(null, ReadRequest.of("stock").where("warehouse", "west").since(Checkpoint.start("stock")))) {
            assertThat(ids(stock)).containsExactly("w1", "w2", "w3", "w4");
            assertThat(stock.checkpoint().filterDigest()).isPresent();
        }
        // Positions taken without a digest (before filters were digested) resume under the filter given.
        Checkpoint undigested = Checkpoint.at("stock", Position.in("west", "2026-03-01T10:01:00Z", "w2"));
        try (RecordStream stock =
                read(null, ReadRequest.of("stock").where("warehouse", "west").since(undigested))) {
            assertThat(ids(stock)).containsExactly("w3", "w4");
        }
    }
}
