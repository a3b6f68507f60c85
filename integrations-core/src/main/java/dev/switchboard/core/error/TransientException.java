package dev.switchboard.core.error;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A failure that may pass (5xx, connection reset, timeout) and that the retry loop could not
 * outlast. Safe to call again later: Switchboard raises it only for requests that are safe to repeat
 * (otherwise the caller gets {@link OutcomeUnknownException}).
 */
public final class TransientException extends SwitchboardException {
  private final @Nullable Duration retryAfter;

  public TransientException(String connector, String operation, String message, @Nullable Throwable cause) {
    this(connector, operation, message, null, cause);
  }

  public TransientException(String connector, String operation, String message, @Nullable Duration retryAfter,
      @Nullable Throwable cause) {
    super(connector, operation, message, cause);
    this.retryAfter = retryAfter;
  }

  @Override
  public NextStep nextStep() {
    return NextStep.RETRY_AFTER;
  }

  /** The server's suggested wait when it gave one, else a short default of one second. */
  @Override
  public Optional<Duration> retryAfter() {
    return Optional.of(retryAfter == null ? Duration.ofSeconds(1) : retryAfter);
  }
}
