package dev.switchboard.core.internal.http;

import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.http.ResponseClass;
import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One failed attempt that the retry loop may repeat. It carries the server's wait (which wins over
 * backoff) and how to build the caller's error if the loop gives up after a wait of a given length.
 * Internal control flow: never escapes the pipeline.
 */
final class RetryableFailure extends RuntimeException {
    final ResponseClass.Kind kind;
    final @Nullable Duration serverWait;
    private final Function<Duration, SwitchboardException> giveUp;

    RetryableFailure(
            ResponseClass.Kind kind, @Nullable Duration serverWait, Function<Duration, SwitchboardException> giveUp) {
        super(null, null, false, false);
        this.kind = kind;
        this.serverWait = serverWait;
        this.giveUp = giveUp;
    }

    /** The caller's error, when the next wait would have been {@code nextWait}. */
    SwitchboardException giveUp(Duration nextWait) {
        return giveUp.apply(nextWait);
    }
}
