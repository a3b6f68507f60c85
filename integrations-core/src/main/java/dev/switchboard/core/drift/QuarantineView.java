package dev.switchboard.core.drift;

import java.util.List;
import java.util.Optional;

/**
 * The quarantined records one principal may see ({@code Switchboard.quarantine(context)}): listing a
 * stream's records is authorized like a read of that stream (operation kind {@code QUARANTINE}),
 * each record passes the access policy's row filter, and every listing and release is audited. A
 * record the principal may not see is neither listed nor released.
 */
public interface QuarantineView {
    /**
     * The records quarantined for this stream of this connection that the principal may see, oldest first.
     *
     * @throws dev.switchboard.core.error.PermissionDeniedException when the policy denies it
     * @throws dev.switchboard.core.error.InvalidInputException for an unknown connection or stream
     */
    List<QuarantinedRecord> list(String connection, String stream);

    /**
     * Takes a record out of quarantine and returns it; empty when it is not there or the principal may not
     * see it.
     *
     * @throws dev.switchboard.core.error.PermissionDeniedException when the policy denies it
     */
    Optional<QuarantinedRecord> release(String connection, String stream, String recordId);
}
