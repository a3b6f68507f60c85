package dev.switchboard.core.error;

import org.jspecify.annotations.Nullable;

/** The stored grant is gone, revoked or rejected: the user must authorize the connection again. Raised at once, without retries. */
public final class ReauthorizationRequiredException extends SwitchboardException {
    public ReauthorizationRequiredException(String connector, String operation, String message) {
        this(connector, operation, message, null);
    }

    public ReauthorizationRequiredException(
            String connector, String operation, String message, @Nullable Throwable cause) {
        super(connector, operation, message, cause);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.REAUTHORIZE;
    }
}
