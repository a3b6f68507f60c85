package dev.switchboard.connectors.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeHubSpot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incremental reads through the search API: the 10,000-result cap, modstamp ties, resumes. Exact resumes:
 * no look-back here (HubSpotFreshnessTest tests the overlap).
 */
class HubSpotIncrementalReadTest {
    @RegisterExtension
    static final FakeHubSpot FAKE = new FakeHubSpot();

    private static final int CAP = 50;
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private HubSpotHarness hub;

    private HubSpotHarness open() {
        FAKE.searchResultCap(CAP);
        hub = HubSpotHarness.virtual(
                FAKE,
                clock,
                Map.of(
                        HubSpotConnector.SEARCH_RESULT_CAP,
                        Integer.toString(CAP),
                        HubSpotConnector.SEARCH_LOOKBACK,
                        "PT0S"));
        return hub;
    }

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private int searches() {
        return FAKE.requestCount(r -> r.path().endsWith("/search"));
    }

    @Test
    void aWindowOverTheResultCapIsReadByKeyAndEveryRecordComesExactlyOnce() {
        // 230 contacts modified within 230 ms: one query would stop at the cap (50 here, 10,000 at HubSpot).
        FAKE.seed("contacts", 230, Instant.parse("2026-05-20T12:00:00Z"), Duration.ofMillis(1));
        HubSpotHarness h = open();

        List<Record> records = h.readAll(ReadRequest.of("contacts").pageSize(20));

        assertThat(records).hasSize(230);
        assertThat(records).extracting(Record::id).doesNotHaveDuplicates();
        assertThat(records)
                .isSortedAccordingTo(dev.switchboard.connectors.hubspot.internal.HubSpotRecords.CURSOR_ORDER);
        assertThat(FAKE.responseCount(400)).as("no query paged past the cap").isZero();
        assertThat(FAKE.responseCount(429)).isZero();
        int searches = searches();
        System.out.printf("key paging: 230 records, cap %d, page 20 -> %d search requests%n", CAP, searches);
        // Every page is a new query from the modstamp the last one ended in (never an offset, so never past
        // the cap): a full page of 20 distinct modstamps emits the 19 before its last; 11 pages give 209, the
        // 12th (20 of the 21 left) 19 more, the 13th the last 2.
        assertThat(searches).isEqualTo(13);
    }

    @Test
    void moreRecordsThanTheCapInOneMillisecondAreReadById() {
        // 51 contacts in one millisecond, over the cap of one query (50 here, 10,000 at HubSpot): the read
        // used to fail for good; now that millisecond is read by itself, sorted and paged by id.
        FAKE.seed("contacts", CAP + 1, Instant.parse("2026-05-20T12:00:00Z"), Duration.ZERO);
        HubSpotHarness h = open();

        List<Record> records = h.readAll(ReadRequest.of("contacts").pageSize(20));

        assertThat(records).extracting(Record::id).containsExactlyElementsOf(FAKE.liveIds("contacts"));
        assertThat(FAKE.responseCount(400)).as("no query paged past the cap").isZero();
        // A full first page of one millisecond; that millisecond by id (20, 20, 11); after it, nothing.
        assertThat(searches()).isEqualTo(5);
    }

    @Test
    void tiesOnOneModstampAcrossPagesResumeWithoutLossOrDuplicates() {
        // 30 tickets sharing 3 modstamps, read 4 a page: ties straddle every page boundary.
        Instant t = Instant.parse("2026-05-20T12:00:00Z");
        for (int i = 0; i < 30; i++) {
            FAKE.put("tickets", Map.of("subject", "t" + i), t.plusMillis(i % 3));
        }
        HubSpotHarness h = open();
        FAKE.faults().after(4).serverErrors(100, 503).onlyFor("/crm/v3/objects/tickets/search");
        List<String> delivered = new ArrayList<>();
        List<Record> firstRun = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream s = h.connection.read(
                HubSpotHarness.CONTEXT, ReadRequest.of("tickets").pageSize(4))) {
            Throwable failure = catchThrowable(() -> s.forEach(r -> {
                delivered.add(r.id());
                firstRun.add(r);
            }));
            assertThat(failure).isInstanceOf(SwitchboardException.class);
            checkpoint = s.checkpoint();
        }
        assertThat(delivered).isNotEmpty().hasSizeLessThan(30);
        FAKE.faults().clear();

        List<Record> rest =
                h.readAll(ReadRequest.of("tickets").pageSize(4).since(Checkpoint.parse(checkpoint.value())));
        rest.forEach(r -> delivered.add(r.id()));

        assertThat(delivered).hasSize(32).doesNotHaveDuplicates(); // the 30 put, after the 2 older seed tickets
        List<Record> all = new ArrayList<>(firstRun);
        all.addAll(rest);
        assertThat(all).isSortedAccordingTo(dev.switchboard.connectors.hubspot.internal.HubSpotRecords.CURSOR_ORDER);
    }

    @Test
    void aResumedReadSeesOnlyLaterChangesIncludingItsOwnWrites() {
        HubSpotHarness h = open();
        Checkpoint checkpoint = h.checkpointAfterReadingAll(ReadRequest.of("tickets"));
        assertThat(h.readAll(ReadRequest.of("tickets").since(checkpoint))).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        h.connection.execute(
                HubSpotHarness.CONTEXT,
                "update_ticket",
                dev.switchboard.core.json.JsonObject.builder()
                        .put("ticketId", "1075966441")
                        .put(
                                "properties",
                                dev.switchboard.core.json.JsonObject.builder()
                                        .put("hs_pipeline_stage", "2")
                                        .build())
                        .build());

        List<Record> changed = h.readAll(ReadRequest.of("tickets").since(checkpoint));
        assertThat(changed).extracting(Record::id).containsExactly("1075966441");
        assertThat(changed.get(0).data().string("hs_pipeline_stage")).isEqualTo("2");
        assertThat(changed.get(0).updatedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aResumeInsideAGroupOfEqualModstampsBringsTheRestOfTheGroupExactlyOnce() {
        // Two contacts before, seven sharing one lastmodifieddate, two after; read 4 a page, so the group fills
        // whole pages (read by id) and straddles page boundaries. Stop after each record in turn, resume from the
        // stored checkpoint: the rest arrives, in key order, none lost and none twice (no look-back here).
        Instant t = Instant.parse("2026-05-20T12:00:00Z");
        FAKE.seed("contacts", 0, t, Duration.ZERO);
        List<String> all = new ArrayList<>();
        all.add(FAKE.put("contacts", Map.of("email", "b1@example.com"), t.minusMillis(2)));
        all.add(FAKE.put("contacts", Map.of("email", "b2@example.com"), t.minusMillis(1)));
        for (int i = 0; i < 7; i++) {
            all.add(FAKE.put("contacts", Map.of("email", "g" + i + "@example.com"), t));
        }
        all.add(FAKE.put("contacts", Map.of("email", "a1@example.com"), t.plusMillis(1)));
        all.add(FAKE.put("contacts", Map.of("email", "a2@example.com"), t.plusMillis(2)));
        HubSpotHarness h = open();

        for (int stopAfter = 1; stopAfter < all.size(); stopAfter++) {
            List<String> first = new ArrayList<>();
            String stored;
            try (RecordStream s = h.connection.read(
                    HubSpotHarness.CONTEXT, ReadRequest.of("contacts").pageSize(4))) {
                java.util.Iterator<Record> it = s.iterator();
                while (first.size() < stopAfter) {
                    first.add(it.next().id());
                }
                stored = s.checkpoint().value();
            }
            List<String> rest =
                    h.readAll(ReadRequest.of("contacts").pageSize(4).since(Checkpoint.parse(stored))).stream()
                            .map(Record::id)
                            .toList();

            assertThat(first).as("stopped after %d", stopAfter).containsExactlyElementsOf(all.subList(0, stopAfter));
            assertThat(rest)
                    .as("resumed after %d", stopAfter)
                    .containsExactlyElementsOf(all.subList(stopAfter, all.size()));
        }
    }
}
