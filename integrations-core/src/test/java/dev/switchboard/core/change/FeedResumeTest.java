package dev.switchboard.core.change;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.support.H2Database;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A polled feed that crashes part way resumes from the positions it stored: the events its listener
 * acknowledged never come again, the one it was handling when it died comes again, and none is lost,
 * tombstones included.
 */
class FeedResumeTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final TokenStore store = Helpdesk.tokens(clock);
    /** The database the positions survive the crash in: each instance opens a JdbcPositionStore over it. */
    private final H2Database database = new H2Database();
    /** The positions as a third party reads them. */
    private PositionStore positions;

    private final AgentContext memory = AgentContext.of(Principal.system("memory"));
    private final ChangeRequest request = ChangeRequest.builder("memory", Helpdesk.CONNECTION)
            .streams("tickets")
            .manual()
            .build();
    private final List<Switchboard> instances = new ArrayList<>();

    /** The source in the order a poll reads it: by updated_at, then id. t2 was deleted at 02-04T12:00. */
    private static final List<String> SOURCE_ORDER = List.of(
            "POLL UPSERT t1", "POLL UPSERT t3", "POLL UPSERT t4", "POLL UPSERT t5", "POLL DELETE t2", "POLL UPSERT t6");

    @BeforeEach
    void seed() {
        positions = JdbcPositionStore.builder(database.dataSource()).build();
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "private")
                .ticket("t3", "2026-02-02T00:00:00Z", "bob", "team")
                .ticket("t4", "2026-02-03T00:00:00Z", "alice", "private")
                .ticket("t5", "2026-02-04T00:00:00Z", "carol", "team")
                .ticket("t6", "2026-02-05T00:00:00Z", "alice", "private");
        fake.delete("t2", "2026-02-04T12:00:00Z");
    }

    @AfterEach
    void stop() {
        instances.forEach(Switchboard::close);
        fake.close();
        database.close();
    }

    /** One application instance: its own Switchboard, the shared position store. */
    private Switchboard instance() {
        Switchboard sb = Helpdesk.switchboard(fake.baseUrl(), store, clock)
                .accessPolicy(AccessPolicy.allowAll())
                .positionStore(JdbcPositionStore.builder(database.dataSource()).build())
                .build();
        instances.add(sb);
        return sb;
    }

    /** Thrown by a listener to stand for the process dying in it: nothing after it runs. */
    private static final class Crash extends Error {
        Crash() {
            super("the process died", null, false, false);
        }
    }

    static Stream<Arguments> crashes() {
        return Stream.of(0, 1, 3, 4, 5).flatMap(k -> Stream.of(Arguments.of(k, "throws"), Arguments.of(k, "dies")));
    }

    @ParameterizedTest(name = "acknowledged {0}, then the listener {1}")
    @MethodSource("crashes")
    void aResumedFeedRepeatsOnlyTheUnacknowledgedEventAndLosesNone(int acknowledged, String how) {
        List<String> seenByFirst = new ArrayList<>();
        Subscription first = instance().subscribe(memory, request, e -> {
            seenByFirst.add(Helpdesk.describe(e));
            if (seenByFirst.size() > acknowledged) {
                if (how.equals("dies")) {
                    throw new Crash();
                }
                throw new IllegalStateException("the listener failed");
            }
        });
        if (how.equals("dies")) {
            assertThatThrownBy(first::poll).isInstanceOf(Crash.class);
        } else {
            assertThatThrownBy(first::poll)
                    .isInstanceOf(TransientException.class)
                    .hasMessageContaining("delivered again");
        }
        // The first instance is gone: its subscription is never closed or polled again.

        List<String> seenBySecond = new ArrayList<>();
        Subscription second = instance().subscribe(memory, request, e -> seenBySecond.add(Helpdesk.describe(e)));
        int delivered = second.poll();

        assertThat(seenByFirst).isEqualTo(SOURCE_ORDER.subList(0, acknowledged + 1));
        assertThat(seenBySecond).isEqualTo(SOURCE_ORDER.subList(acknowledged, SOURCE_ORDER.size()));
        assertThat(delivered).isEqualTo(SOURCE_ORDER.size() - acknowledged);
        // Counted: every event acknowledged exactly once; only the one in hand at the crash came twice.
        Map<String, Integer> acks = new TreeMap<>();
        seenByFirst.subList(0, acknowledged).forEach(e -> acks.merge(e, 1, Integer::sum));
        seenBySecond.forEach(e -> acks.merge(e, 1, Integer::sum));
        assertThat(acks)
                .hasSize(SOURCE_ORDER.size())
                .allSatisfy((event, count) -> assertThat(count).isEqualTo(1));
        List<String> repeated = new ArrayList<>(seenByFirst);
        repeated.retainAll(seenBySecond);
        assertThat(repeated).containsExactly(SOURCE_ORDER.get(acknowledged));

        assertThat(second.poll()).isZero();
        assertThat(seenBySecond).hasSize(SOURCE_ORDER.size() - acknowledged);
    }

    @Test
    void aDeleteArrivesAsADeleteEventAndMovesThePosition() {
        List<ChangeEvent> seen = new ArrayList<>();
        Subscription feed = instance().subscribe(memory, request, seen::add);
        assertThat(feed.poll()).isEqualTo(SOURCE_ORDER.size());
        ChangeEvent t2 = seen.get(4);
        assertThat(t2.op()).isEqualTo(ChangeEvent.Op.DELETE);
        assertThat(t2.record()).isNotNull();
        assertThat(t2.record().deleted()).isTrue();
        assertThat(t2.record().acl()).isNull();
        assertThat(t2.position()).isEqualTo(Position.of("2026-02-04T12:00:00Z", "t2"));
        seen.clear();

        fake.delete("t4", "2026-02-07T00:00:00Z");
        assertThat(feed.poll()).isEqualTo(1);

        assertThat(seen).singleElement().satisfies(e -> {
            assertThat(Helpdesk.describe(e)).isEqualTo("POLL DELETE t4");
            assertThat(e.sourceTime()).isEqualTo(Instant.parse("2026-02-07T00:00:00Z"));
            // A tombstone carries its key and cursor, nothing of what the ticket held.
            assertThat(e.record().data())
                    .isEqualTo(JsonObject.builder()
                            .put("id", "t4")
                            .put("updated_at", "2026-02-07T00:00:00Z")
                            .build());
        });
        Checkpoint stored = Checkpoint.parse(
                positions.load("memory", Helpdesk.CONNECTION, "tickets").orElseThrow());
        assertThat(stored.position()).contains(Position.of("2026-02-07T00:00:00Z", "t4"));
        assertThat(feed.poll()).isZero();
    }
}
