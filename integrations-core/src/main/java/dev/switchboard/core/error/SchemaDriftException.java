package dev.switchboard.core.error;

import dev.switchboard.core.model.Drift;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The vendor's data broke the stream's pinned contract (a field removed or retyped, the cursor or
 * primary key changed). The read stopped before the checkpoint could move past the change.
 */
public final class SchemaDriftException extends SwitchboardException {
  private final List<Drift> drifts;

  public SchemaDriftException(String connector, String operation, String message, List<Drift> drifts) {
    this(connector, operation, message, drifts, null);
  }

  public SchemaDriftException(String connector, String operation, String message, List<Drift> drifts,
      @Nullable Throwable cause) {
    super(connector, operation, message, cause);
    this.drifts = List.copyOf(drifts);
  }

  /** The breaking differences found. */
  public List<Drift> drifts() {
    return drifts;
  }

  @Override
  public NextStep nextStep() {
    return NextStep.GIVE_UP;
  }
}
