package dev.switchboard.core.governance;

import dev.switchboard.core.Principal;
import java.util.List;
import java.util.Optional;

/**
 * The application's side of consent ({@code Switchboard.consent()}): a person's decision on a request
 * a call was refused with ({@code ConsentRequiredException.requestId()}). Call it from the application's
 * own user interface, never from a tool the model can call. Every decision is audited.
 */
public interface Consents {
    /**
     * Approves the request for one call: the next call of the same principal, session, connection, action
     * and input runs (once).
     *
     * @throws dev.switchboard.core.error.InvalidInputException when the request is unknown, decided or expired
     */
    ConsentRecord approve(String requestId);

    /**
     * Approves the request's action for the rest of its session, with any input, until the request
     * expires. Explicit and named: it never widens to another action or session.
     *
     * @throws dev.switchboard.core.error.InvalidInputException when the request is unknown, decided or expired
     */
    ConsentRecord approveForSession(String requestId);

    /**
     * Denies the request: the next call with that input is refused with {@code ConsentDeniedException}
     * carrying {@code reason}.
     *
     * @throws dev.switchboard.core.error.InvalidInputException when the request is unknown, decided or expired
     */
    ConsentRecord deny(String requestId, String reason);

    /** The request with this id, if known. */
    Optional<ConsentRecord> find(String requestId);

    /** The requests waiting for this principal's decision, oldest first. */
    List<ConsentRecord> pending(Principal principal);
}
