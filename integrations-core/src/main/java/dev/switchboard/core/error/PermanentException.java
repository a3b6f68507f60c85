package dev.switchboard.core.error;

import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The vendor refused the request for a reason a retry cannot change (a 4xx other than throttling,
 * authentication and invalid input; a malformed answer; an answer over the size bound). When the
 * vendor answered, {@link #status()} and {@link #vendorCode()} say how, so a connector can map a
 * specific code to a more precise error.
 */
public final class PermanentException extends SwitchboardException {
    private final int status;
    private final @Nullable String vendorCode;

    public PermanentException(String connector, String operation, String message) {
        this(connector, operation, message, null);
    }

    public PermanentException(String connector, String operation, String message, @Nullable Throwable cause) {
        super(connector, operation, message, cause);
        this.status = 0;
        this.vendorCode = null;
    }

    /**
     * @param status the vendor's HTTP status
     * @param vendorCode the vendor's error code, e.g. {@code INVALID_FIELD}
     */
    public PermanentException(
            String connector, String operation, String message, int status, @Nullable String vendorCode) {
        super(connector, operation, message, null);
        this.status = status;
        this.vendorCode = vendorCode;
    }

    /** The vendor's HTTP status, when the vendor answered. */
    public OptionalInt status() {
        return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The vendor's error code, when it gave one. */
    public Optional<String> vendorCode() {
        return Optional.ofNullable(vendorCode);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
