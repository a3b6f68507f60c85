package dev.switchboard.core.error;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The caller's input is wrong: an unknown connection, stream or action, arguments that do not match
 * the action's JSON Schema, a checkpoint from another stream. {@link #violations()} lists each
 * problem so the agent can correct its arguments.
 */
public final class InvalidInputException extends SwitchboardException {
    private final List<String> violations;

    public InvalidInputException(String connector, String operation, String message) {
        this(connector, operation, message, List.of(), null);
    }

    public InvalidInputException(
            String connector, String operation, String message, List<String> violations, @Nullable Throwable cause) {
        super(
                connector,
                operation,
                violations.isEmpty() ? message : message + ": " + String.join("; ", violations),
                cause);
        this.violations = List.copyOf(violations);
    }

    /** Each problem found, in a form an agent can act on; empty when the message says it all. */
    public List<String> violations() {
        return violations;
    }

    @Override
    public NextStep nextStep() {
        return NextStep.FIX_INPUT;
    }
}
