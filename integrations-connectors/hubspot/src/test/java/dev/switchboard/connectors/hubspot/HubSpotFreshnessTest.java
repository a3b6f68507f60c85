package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.RateLimitedException;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.testkit.Replica;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HubSpot loss paths of issue 11, one test each, against FakeHubSpot (whose search pages by offset, lags
 * behind changes when told to, and archives): a consumer that applies what the reads delivered (a
 * {@link Replica}) must hold what the portal holds.
 */
class HubSpotFreshnessTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private HubSpotHarness hub;

    private HubSpotHarness open(Map<String, String> settings) {
        hub = HubSpotHarness.virtual(FAKE, clock, settings);
        return hub;
    }

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    /** What the portal holds of a stream, by id: each live object's modstamp and one property. */
    private static Map<String, String> portal(String type, String property) {
        Map<String, String> out = new HashMap<>();
        FAKE.liveObjects(type).forEach((id, o) -> out.put(id, o.string("updatedAt") + " " + property(o, property)));
        return out;
    }

    private static String property(dev.switchboard.core.json.JsonObject object, String name) {
        dev.switchboard.core.json.JsonObject props = object.object("properties");
        return String.valueOf(props == null ? null : props.string(name));
    }

    /** What the replica holds of a stream, in the same shape as {@link #portal}. */
    private static Map<String, String> held(Replica replica, String stream, String property) {
        Map<String, String> out = new HashMap<>();
        replica.records(stream)
                .forEach((id, r) -> out.put(
                        id, r.data().string("updatedAt") + " " + r.data().string(property)));
        return out;
    }

    private Checkpoint readInto(Replica replica, ReadRequest request) {
        try (RecordStream s = hub.connection.read(HubSpotHarness.CONTEXT, request)) {
            s.forEach(replica::apply);
            return s.checkpoint();
        }
    }

    @Test
    void aContactChangedDuringAReadDoesNotMakeAnotherVanish() {
        // Ten contacts a millisecond apart, read 3 a page. After the first page, the first contact changes:
        // it leaves the result set (its modstamp is past the read's bound), and an offset-paged read skips
        // the contact that shifts down across the page boundary, below the final checkpoint, for good.
        FAKE.seed("contacts", 10, Instant.parse("2026-05-20T12:00:00Z"), Duration.ofMillis(1));
        open(Map.of());
        List<String> ids = FAKE.liveIds("contacts");
        Replica replica = new Replica();
        Checkpoint checkpoint;
        try (RecordStream s = hub.connection.read(
                HubSpotHarness.CONTEXT, ReadRequest.of("contacts").pageSize(3))) {
            java.util.Iterator<Record> it = s.iterator();
            for (int i = 0; i < 2; i++) {
                replica.apply(it.next()); // both from the first page
            }
            clock.advance(Duration.ofSeconds(1));
            FAKE.set("contacts", ids.get(0), "firstname", "Renamed");
            it.forEachRemaining(replica::apply);
            checkpoint = s.checkpoint();
        }
        readInto(replica, ReadRequest.of("contacts").since(checkpoint)); // the catch-up read

        assertThat(held(replica, "contacts", "firstname")).isEqualTo(portal("contacts", "firstname"));
    }

    @Test
    void aChangeSearchIndexesLateBelowTheCheckpointIsReadAgainFromTheLookBack() {
        open(Map.of()); // the default look-back, one minute
        Replica replica = new Replica();
        Checkpoint checkpoint = readInto(replica, ReadRequest.of("tickets"));
        List<String> ids = FAKE.liveIds("tickets");

        // Ticket A changes first but search indexes it 30 s late; ticket B changes a second later and is
        // indexed at once. A read in between sees B, so its checkpoint passes A's modstamp.
        clock.advance(Duration.ofSeconds(5));
        FAKE.indexLag(Duration.ofSeconds(30)).set("tickets", ids.get(0), "subject", "late in the index");
        clock.advance(Duration.ofSeconds(1));
        FAKE.indexLag(Duration.ZERO).set("tickets", ids.get(1), "subject", "indexed at once");
        clock.advance(Duration.ofSeconds(1));
        checkpoint = readInto(replica, ReadRequest.of("tickets").since(checkpoint));
        assertThat(replica.get("tickets", ids.get(0)).data().string("subject"))
                .as("not indexed yet")
                .isNotEqualTo("late in the index");

        clock.advance(Duration.ofSeconds(40)); // A is in the index now, with its modstamp below the checkpoint
        readInto(replica, ReadRequest.of("tickets").since(checkpoint));

        assertThat(held(replica, "tickets", "subject")).isEqualTo(portal("tickets", "subject"));
    }

    @Test
    void withoutALookBackTheFakeLosesTheLateChangeAsHubSpotWould() {
        // The same interleaving with the look-back turned off: the fake's index lag is real.
        open(Map.of(HubSpotConnector.SEARCH_LOOKBACK, "PT0S"));
        Replica replica = new Replica();
        Checkpoint checkpoint = readInto(replica, ReadRequest.of("tickets"));
        List<String> ids = FAKE.liveIds("tickets");
        clock.advance(Duration.ofSeconds(5));
        FAKE.indexLag(Duration.ofSeconds(30)).set("tickets", ids.get(0), "subject", "late in the index");
        clock.advance(Duration.ofSeconds(1));
        FAKE.indexLag(Duration.ZERO).set("tickets", ids.get(1), "subject", "indexed at once");
        clock.advance(Duration.ofSeconds(1));
        checkpoint = readInto(replica, ReadRequest.of("tickets").since(checkpoint));
        clock.advance(Duration.ofSeconds(40));
        readInto(replica, ReadRequest.of("tickets").since(checkpoint));

        assertThat(replica.get("tickets", ids.get(0)).data().string("subject")).isNotEqualTo("late in the index");
    }

    @Test
    void aResumeThatStoppedAfterTheFirstOfThreeTiedTicketsReadsTheOtherTwo() {
        Instant tie = Instant.parse("2026-05-25T10:00:00.123Z");
        List<String> tied = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            tied.add(FAKE.put("tickets", Map.of("subject", "tied " + i), tie));
        }
        // Exact resumes: with a look-back the rest would come as overlap and hide a lost position.
        open(Map.of(HubSpotConnector.SEARCH_LOOKBACK, "PT0S"));
        List<String> firstRun = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream s = hub.connection.read(HubSpotHarness.CONTEXT, ReadRequest.of("tickets"))) {
            java.util.Iterator<Record> it = s.iterator();
            while (it.hasNext()) {
                Record r = it.next();
                firstRun.add(r.id());
                if (r.id().equals(tied.get(0))) {
                    break; // stop inside the group of three sharing one modstamp
                }
            }
            checkpoint = s.checkpoint();
        }
        assertThat(firstRun).endsWith(tied.get(0)).doesNotContain(tied.get(1), tied.get(2));

        List<Record> rest = hub.readAll(ReadRequest.of("tickets").since(Checkpoint.parse(checkpoint.value())));

        assertThat(rest).extracting(Record::id).containsExactly(tied.get(1), tied.get(2));
    }

    @Test
    void archivedTicketsComeAsTombstonesAndThroughTheChangeFeed() {
        open(Map.of());
        Replica replica = new Replica();
        Checkpoint checkpoint = readInto(replica, ReadRequest.of("tickets"));
        Replica fed = new Replica();
        List<ChangeEvent> events = new ArrayList<>();
        try (Subscription feed = hub.switchboard.subscribe(
                HubSpotHarness.CONTEXT,
                ChangeRequest.builder("freshness-test", "hubspot-acme")
                        .streams("tickets")
                        .manual()
                        .build(),
                e -> {
                    events.add(e);
                    fed.apply(e);
                })) {
            feed.poll(); // the feed's first poll reads the stream from its start
            String gone = FAKE.liveIds("tickets").get(0);
            clock.advance(Duration.ofMinutes(2));
            Instant archivedAt = clock.instant();
            FAKE.archive("tickets", gone);
            clock.advance(Duration.ofSeconds(1));

            List<Record> read = hub.readAll(ReadRequest.of("tickets").since(checkpoint));
            read.forEach(replica::apply);
            feed.poll();

            assertThat(read).filteredOn(Record::deleted).singleElement().satisfies(t -> {
                assertThat(t.id()).isEqualTo(gone);
                assertThat(t.deletedAt()).isEqualTo(archivedAt);
            });
            assertThat(events)
                    .filteredOn(e -> e.op() == ChangeEvent.Op.DELETE)
                    .extracting(ChangeEvent::recordId)
                    .containsExactly(gone);
            assertThat(replica.ids("tickets"))
                    .isEqualTo(FAKE.liveObjects("tickets").keySet());
            assertThat(fed.ids("tickets")).isEqualTo(FAKE.liveObjects("tickets").keySet());
        }
    }

    @Test
    void anArchivedTicketLeavesTheEntityGraphThatFollowsTheChangeFeed() {
        open(Map.of());
        EntityGraph graph = EntityGraph.builder().build();
        try (Subscription feed = hub.switchboard.subscribe(
                HubSpotHarness.CONTEXT,
                ChangeRequest.builder("graph-test", "hubspot-acme")
                        .streams("tickets")
                        .manual()
                        .build(),
                graph.changes(Normalizer.standard()))) {
            feed.poll();
            assertThat(graph.groups(EntityType.TICKET))
                    .extracting(g -> g.primary().ref().id())
                    .containsExactlyInAnyOrderElementsOf(
                            FAKE.liveObjects("tickets").keySet());
            String gone = FAKE.liveIds("tickets").get(0);
            clock.advance(Duration.ofMinutes(2));
            FAKE.archive("tickets", gone);
            clock.advance(Duration.ofSeconds(1));

            feed.poll();

            assertThat(graph.groups(EntityType.TICKET))
                    .extracting(g -> g.primary().ref().id())
                    .containsExactlyInAnyOrderElementsOf(
                            FAKE.liveObjects("tickets").keySet())
                    .doesNotContain(gone)
                    .isNotEmpty();
        }
    }

    @Test
    void aCheckpointTakenWithOneWhereIsRefusedByAReadWithAnother() {
        FAKE.put(
                "tickets",
                Map.of("subject", "urgent one", "hs_ticket_priority", "HIGH"),
                Instant.parse("2026-05-30T08:00:00Z"));
        FAKE.put(
                "tickets",
                Map.of("subject", "calm one", "hs_ticket_priority", "LOW"),
                Instant.parse("2026-05-30T08:00:01Z"));
        open(Map.of());
        Checkpoint high;
        List<Record> highs = new ArrayList<>();
        try (RecordStream s = hub.connection.read(
                HubSpotHarness.CONTEXT, ReadRequest.of("tickets").where("hs_ticket_priority", "HIGH"))) {
            s.forEach(highs::add);
            high = s.checkpoint();
        }
        assertThat(highs)
                .isNotEmpty()
                .allSatisfy(
                        r -> assertThat(r.data().string("hs_ticket_priority")).isEqualTo("HIGH"));

        assertThatThrownBy(() -> hub.readAll(ReadRequest.of("tickets")
                        .where("hs_ticket_priority", "LOW")
                        .since(high)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("another filter");
        assertThat(hub.readAll(ReadRequest.of("tickets")
                        .where("hs_ticket_priority", "HIGH")
                        .since(high)))
                .as("the same filter resumes")
                .allSatisfy(
                        r -> assertThat(r.data().string("hs_ticket_priority")).isEqualTo("HIGH"));
    }

    @Test
    void aWhereOnAFieldOutsideTheContractIsRefusedPlainly() {
        open(Map.of());
        assertThatThrownBy(() -> hub.readAll(ReadRequest.of("tickets").where("no_such_property", "x")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no_such_property");
    }

    @Test
    void theDailyRemainingHeaderStopsRequestsBeforeHubSpotRefusesThem() {
        open(Map.of());
        hub.readAll(ReadRequest.of("owners")); // the describe check is done: each owners read is one request
        FAKE.dailyLimit(FAKE.requestCount(r -> true) + 3L);
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Throwable t = catchThrowable(() -> hub.readAll(ReadRequest.of("owners")));
            if (t != null) {
                failures.add(t);
            }
        }

        // The budget paused until midnight when the header said 0 remain: the later reads fail without sending.
        assertThat(failures).hasSize(3).allSatisfy(t -> assertThat(t).isInstanceOf(RateLimitedException.class));
        assertThat(FAKE.throttledCount())
                .as("no request met HubSpot's DAILY 429")
                .isZero();
    }

    @Test
    void associationsPageThroughTheV4Api() {
        String contact = FAKE.liveIds("contacts").get(0);
        List<String> companies = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String company = FAKE.put("companies", Map.of("name", "Co " + i), Instant.parse("2026-05-01T00:00:00Z"));
            FAKE.associate("contacts", contact, "companies", company);
            companies.add(company);
        }
        FAKE.associationPageSize(50);
        open(Map.of());

        List<Record> edges = hub.readAll(ReadRequest.of("associations").where("fromObjectType", "contacts"));

        assertThat(edges)
                .filteredOn(r -> r.data().string("fromId").equals(contact)
                        && r.data().string("toObjectType").equals("companies"))
                .extracting(r -> r.data().string("toId"))
                .containsAll(companies);
        assertThat(FAKE.requestCount("/crm/v4/associations/"))
                .as("read through v4")
                .isPositive();
    }

    @Test
    void ownersAreFilteredByEmailAndAnyOtherFilterIsRefused() {
        open(Map.of());
        assertThat(hub.readAll(ReadRequest.of("owners").where("email", "sam.agent@example.com")))
                .extracting(Record::id)
                .containsExactly("41629780");
        assertThatThrownBy(() -> hub.readAll(ReadRequest.of("owners").where("firstName", "Sam")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("email only");
    }
}
