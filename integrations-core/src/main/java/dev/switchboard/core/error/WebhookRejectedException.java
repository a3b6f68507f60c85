package dev.switchboard.core.error;

import java.util.Objects;

/**
 * A webhook delivery was refused; nothing of it was applied. {@link #reason()} says why and
 * {@link #status()} is the HTTP status to answer the vendor with.
 */
public final class WebhookRejectedException extends SwitchboardException {
    /** Why a delivery was refused. */
    public enum Reason {
        /** No connection has the id the delivery was addressed to (404). */
        UNKNOWN_CONNECTION(404),
        /** The connection's connector takes no webhooks (404). */
        UNSUPPORTED(404),
        /** The signature is missing or does not match the body and the connection's secret (401). */
        BAD_SIGNATURE(401),
        /** The signed timestamp is outside the tolerance: too old, or in the future (401). */
        STALE(401),
        /**
         * The delivery was accepted before. Answered 200: a vendor retrying a delivery whose answer it
         * lost must stop, and a replayed copy changes nothing.
         */
        REPLAY(200),
        /** The body is not what the vendor sends (400). */
        MALFORMED(400);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;

    public WebhookRejectedException(String connector, String operation, Reason reason, String message) {
        super(connector, operation, message, null);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status to answer the delivery with. */
    public int status() {
        return reason.status();
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
