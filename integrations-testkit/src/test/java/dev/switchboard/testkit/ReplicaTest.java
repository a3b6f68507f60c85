package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplicaTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Record record(String id, int second, String name) {
        return Record.builder().stream("contacts")
                .id(id)
                .source(new RecordSource("hubspot", "c1", "contacts"))
                .data(JsonObject.builder(1).put("name", name).build())
                .updatedAt(T0.plusSeconds(second))
                .build();
    }

    @Test
    void aReDeliveredOrOlderCopyChangesNothingAndATombstoneIsNotResurrectedByAnOlderUpsert() {
        Replica replica = new Replica();
        replica.apply(record("1", 10, "new")).apply(record("1", 5, "old")).apply(record("1", 10, "new"));
        assertThat(replica.data("contacts").get("1").string("name")).isEqualTo("new");

        replica.apply(
                record("1", 20, "x").newBuilder().deleted(T0.plusSeconds(20)).build());
        replica.apply(record("1", 15, "stale"));
        assertThat(replica.ids("contacts")).isEmpty();
        replica.apply(record("1", 30, "undeleted"));
        assertThat(replica.ids("contacts")).containsExactly("1");
    }

    @Test
    void anUpsertKnownOnlyByIdIsPendingUntilAReadDeliversIt() {
        Replica replica = new Replica();
        replica.apply(new ChangeEvent(
                "c1", "contacts", "7", ChangeEvent.Op.UPSERT, null, null, null, null, ChangeEvent.Origin.WEBHOOK));
        assertThat(replica.pending()).containsExactly("contacts/7");
        replica.apply(record("7", 1, "seven"));
        assertThat(replica.pending()).isEmpty();
        replica.apply(new ChangeEvent(
                "c1",
                "contacts",
                "7",
                ChangeEvent.Op.DELETE,
                null,
                null,
                T0.plusSeconds(2),
                null,
                ChangeEvent.Origin.WEBHOOK));
        assertThat(replica.ids("contacts")).isEmpty();
    }
}
