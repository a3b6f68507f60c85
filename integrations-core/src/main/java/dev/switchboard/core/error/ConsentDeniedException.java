package dev.switchboard.core.error;

import org.jspecify.annotations.Nullable;

/** A write or destructive action had no consent. Ask the user, then call again with consent given. */
public final class ConsentDeniedException extends SwitchboardException {
    public ConsentDeniedException(String connector, String operation, String message) {
        this(connector, operation, message, null);
    }

    public ConsentDeniedException(String connector, String operation, String message, @Nullable Throwable cause) {
        super(connector, operation, message, cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.ASK_USER;
    }
}
