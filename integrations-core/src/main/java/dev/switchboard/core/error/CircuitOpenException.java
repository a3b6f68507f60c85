package dev.switchboard.core.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Recent calls to this vendor failed often enough that the circuit breaker stopped sending more.
 * No request was sent. Call again after {@link #retryAfter()}.
 */
public final class CircuitOpenException extends SwitchboardException {
  private final Duration retryAfter;

  public CircuitOpenException(String connector, String operation, String message, Duration retryAfter) {
    super(connector, operation, message, null);
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  @Override
  public NextStep nextStep() {
    return NextStep.RETRY_AFTER;
  }

  @Override
  public Optional<Duration> retryAfter() {
    return Optional.of(retryAfter);
  }
}
