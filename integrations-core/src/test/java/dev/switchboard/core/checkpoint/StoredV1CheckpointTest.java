package dev.switchboard.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A checkpoint an application stored in the first format ({@code v1.}) still resumes where it stopped. */
class StoredV1CheckpointTest {
    /**
     * Written by the first format for stream tickets at cursor 2026-02-02T00:00:00Z and id t3: {@code v1.}
     * and the base64url, unpadded, of {@code {"s":"tickets","c":"2026-02-02T00:00:00Z","i":"t3"}}
     * (computed in the shell: {@code printf %s '...' | base64 | tr '+/' '-_' | tr -d =}).
     */
    private static final String STORED = "v1.eyJzIjoidGlja2V0cyIsImMiOiIyMDI2LTAyLTAyVDAwOjAwOjAwWiIsImkiOiJ0MyJ9";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "private")
                .ticket("t3", "2026-02-02T00:00:00Z", "bob", "team")
                .ticket("t4", "2026-02-02T00:00:00Z", "alice", "team")
                .ticket("t5", "2026-02-04T00:00:00Z", "carol", "team");
        switchboard = Helpdesk.switchboard(fake.baseUrl(), Helpdesk.tokens(clock), clock)
                .accessPolicy(AccessPolicy.allowAll())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
        fake.close();
    }

    private List<String> read(ReadRequest request, Checkpoint[] end) {
        List<String> ids = new ArrayList<>();
        try (RecordStream tickets = switchboard.connection(Helpdesk.CONNECTION).read(alice, request)) {
            tickets.forEach(r -> ids.add(r.id()));
            end[0] = tickets.checkpoint();
        }
        return ids;
    }

    @Test
    void aStoredV1CheckpointResumesAfterItsCursorAndIdAndComesBackAsV2() {
        Checkpoint[] end = new Checkpoint[1];
        List<String> ids = read(ReadRequest.of("tickets").since(Checkpoint.parse(STORED)), end);

        List<LoggedRequest> lists = fake.requests(r -> r.getUrl().startsWith("/tickets"));
        assertThat(lists).first().satisfies(r -> {
            assertThat(r.queryParameter("after_updated").firstValue()).isEqualTo("2026-02-02T00:00:00Z");
            assertThat(r.queryParameter("after_id").firstValue()).isEqualTo("t3");
        });
        // t4 shares t3's cursor and sorts after it: the tie-break id keeps it; t2 and t3 are not read again.
        assertThat(ids).containsExactly("t4", "t5");
        assertThat(end[0].value()).startsWith("v2.");
        assertThat(Checkpoint.parse(end[0].value()).position()).contains(Position.of("2026-02-04T00:00:00Z", "t5"));
    }

    @Test
    void aStoredV1CheckpointHasNoDigestAndResumesUnderAFilter() {
        Checkpoint[] end = new Checkpoint[1];
        List<String> ids =
                read(ReadRequest.of("tickets").where("queue", "billing").since(Checkpoint.parse(STORED)), end);

        assertThat(ids).containsExactly("t4", "t5");
        // The new checkpoint is taken under the filter: it resumes under it.
        assertThat(end[0].filterDigest()).isPresent();
        assertThat(read(ReadRequest.of("tickets").where("queue", "billing").since(end[0]), end))
                .isEmpty();
    }
}
