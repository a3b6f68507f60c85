package dev.switchboard.core.error;

/**
 * A Switchboard built fail-closed ({@code auditFailClosed(true)}) refused a write because its audit entry could not
 * be recorded: nothing was sent to the vendor. The audit sink's failure was counted
 * ({@code switchboard.audit.failures}) and logged on {@code dev.switchboard.audit}; the operator must fix the sink.
 * The caller cannot make this call succeed ({@link NextStep#GIVE_UP}): tell the user the change was not made.
 */
public final class AuditUnavailableException extends SwitchboardException {
    public AuditUnavailableException(String connector, String operation, String message) {
        super(connector, operation, message, null);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
