package dev.switchboard.core.error;

import org.jspecify.annotations.Nullable;

/** The {@code AccessPolicy} denied this operation to the principal of the {@code AgentContext}. Deny is the default. */
public final class PermissionDeniedException extends SwitchboardException {
    public PermissionDeniedException(String connector, String operation, String message) {
        this(connector, operation, message, null);
    }

    public PermissionDeniedException(String connector, String operation, String message, @Nullable Throwable cause) {
        super(connector, operation, message, cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
