package dev.switchboard.core.error;

import org.jspecify.annotations.Nullable;

/** The request may have reached the vendor and the answer was lost, and the action is not safe to retry: check the vendor's state (or ask the user) before repeating it. */
public final class OutcomeUnknownException extends SwitchboardException {
    public OutcomeUnknownException(String connector, String operation, String message) {
        this(connector, operation, message, null);
    }

    public OutcomeUnknownException(String connector, String operation, String message, @Nullable Throwable cause) {
        super(connector, operation, message, cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.ASK_USER;
    }
}
