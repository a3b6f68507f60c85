package dev.switchboard.core.error;

import org.jspecify.annotations.Nullable;

/** The vendor refused the request for a reason a retry cannot change (a 4xx other than throttling and authentication, a malformed answer, an answer over the size bound). */
public final class PermanentException extends SwitchboardException {
  public PermanentException(String connector, String operation, String message) {
    this(connector, operation, message, null);
  }

  public PermanentException(String connector, String operation, String message, @Nullable Throwable cause) {
    super(connector, operation, message, cause);
  }

  @Override
  public NextStep nextStep() {
    return NextStep.GIVE_UP;
  }
}
