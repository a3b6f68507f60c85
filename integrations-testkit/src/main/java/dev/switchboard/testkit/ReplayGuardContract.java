package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.time.ManualClock;
import dev.switchboard.core.webhook.ReplayGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ReplayGuard} keeps. Subclass it once per implementation: return a fresh, empty guard
 * that tells time by {@code clock} from {@link #createGuard(ManualClock)}, and for a shared guard another instance
 * on the same storage from {@link #anotherInstance(ManualClock)} (by default the same guard, as for one in memory).
 */
public abstract class ReplayGuardContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000000001Z");
    protected static final String CONNECTION = "slack-acme";
    private static final int IDS = 40;

    protected final ManualClock clock = ManualClock.at(T0);
    protected ReplayGuard guard;

    /** A new guard that remembers nothing yet and tells time by {@code clock}. */
    protected abstract ReplayGuard createGuard(ManualClock clock) throws Exception;

    /** Another instance sharing the storage of the guard {@link #createGuard} returned last. */
    protected ReplayGuard anotherInstance(ManualClock clock) throws Exception {
        return guard;
    }

    @BeforeEach
    void setUpGuard() throws Exception {
        guard = createGuard(clock);
    }

    @Test
    void aDeliveryIsSeenFirstOnceAndThenIsAReplay() {
        Instant keepUntil = T0.plus(Duration.ofMinutes(10));
        assertThat(guard.firstSeen(CONNECTION, "Ev01", keepUntil)).isTrue();
        assertThat(guard.firstSeen(CONNECTION, "Ev01", keepUntil)).isFalse();
        assertThat(guard.firstSeen(CONNECTION, "Ev02", keepUntil)).isTrue();
        assertThat(guard.firstSeen("hubspot-acme", "Ev01", keepUntil)).isTrue(); // ids are per connection
        assertThat(guard.firstSeen(CONNECTION, "ev01", keepUntil)).isTrue(); // and compared exactly
    }

    @Test
    void aDeliveryIsRememberedUntilItsTimeAndForgottenAfter() {
        Instant keepUntil = T0.plus(Duration.ofMinutes(10));
        assertThat(guard.firstSeen(CONNECTION, "Ev01", keepUntil)).isTrue();

        clock.advance(Duration.ofMinutes(5));
        // a replay does not extend the time the first delivery asked for
        assertThat(guard.firstSeen(CONNECTION, "Ev01", T0.plus(Duration.ofHours(5))))
                .isFalse();
        clock.advance(Duration.ofMinutes(5)); // exactly keepUntil: still remembered
        assertThat(guard.firstSeen(CONNECTION, "Ev01", T0.plus(Duration.ofHours(5))))
                .isFalse();

        clock.advance(Duration.ofNanos(1)); // past it: forgotten, and seen anew
        Instant later = clock.instant().plus(Duration.ofMinutes(10));
        assertThat(guard.firstSeen(CONNECTION, "Ev01", later)).isTrue();
        assertThat(guard.firstSeen(CONNECTION, "Ev01", later)).isFalse();
    }

    @Test
    void ofInstancesRacingForOneDeliveryExactlyOneSeesItFirst() throws Exception {
        ReplayGuard other = anotherInstance(clock);
        Instant keepUntil = T0.plus(Duration.ofMinutes(10));
        List<Integer> wins = Concurrently.run(thread -> {
            ReplayGuard instance = thread % 2 == 0 ? guard : other;
            List<Integer> order = shuffled(thread);
            int won = 0;
            for (int id : order) {
                won += instance.firstSeen(CONNECTION, "Ev" + id, keepUntil) ? 1 : 0;
            }
            return won;
        });
        assertThat(wins.stream().mapToInt(Integer::intValue).sum()).isEqualTo(IDS);
        for (int id = 0; id < IDS; id++) {
            assertThat(guard.firstSeen(CONNECTION, "Ev" + id, keepUntil)).isFalse();
        }
    }

    @Test
    void ofInstancesRacingForAForgottenDeliveryExactlyOneSeesItAnew() throws Exception {
        ReplayGuard other = anotherInstance(clock);
        for (int id = 0; id < IDS; id++) {
            assertThat(guard.firstSeen(CONNECTION, "Ev" + id, T0.plusSeconds(1)))
                    .isTrue();
        }
        clock.advance(Duration.ofSeconds(2));
        Instant keepUntil = clock.instant().plus(Duration.ofMinutes(10));
        List<Integer> wins = Concurrently.run(thread -> {
            ReplayGuard instance = thread % 2 == 0 ? guard : other;
            int won = 0;
            for (int id : shuffled(thread)) {
                won += instance.firstSeen(CONNECTION, "Ev" + id, keepUntil) ? 1 : 0;
            }
            return won;
        });
        assertThat(wins.stream().mapToInt(Integer::intValue).sum()).isEqualTo(IDS);
    }

    @Test
    void manyExpiredDeliveriesAreForgottenWithoutForgettingLiveOnes() {
        for (int i = 0; i < 300; i++) {
            guard.firstSeen(CONNECTION, "old-" + i, T0.plusSeconds(1));
        }
        assertThat(guard.firstSeen(CONNECTION, "live", T0.plus(Duration.ofDays(1))))
                .isTrue();
        clock.advance(Duration.ofMinutes(1));
        for (int i = 0; i < 300; i++) {
            guard.firstSeen(CONNECTION, "new-" + i, T0.plus(Duration.ofDays(1)));
        }
        assertThat(guard.firstSeen(CONNECTION, "live", T0.plus(Duration.ofDays(1))))
                .isFalse();
        assertThat(guard.firstSeen(CONNECTION, "new-1", T0.plus(Duration.ofDays(1))))
                .isFalse();
        assertThat(guard.firstSeen(CONNECTION, "old-1", T0.plus(Duration.ofDays(1))))
                .isTrue();
    }

    private static List<Integer> shuffled(int seed) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < IDS; i++) {
            ids.add(i);
        }
        Collections.shuffle(ids, new Random(seed));
        return ids;
    }
}
