package dev.switchboard.core.error;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The data was sealed under a data key that was destroyed (crypto-shredded, {@code Keys.destroy}): it can never be
 * read again. {@link #scope()} names the key scope (a tenant's, a user's). A store may treat such data as deleted.
 */
public final class KeyDestroyedException extends SwitchboardException {
    private final String scope;
    private final @Nullable Instant destroyedAt;

    public KeyDestroyedException(
            String connector, String operation, String scope, @Nullable Instant destroyedAt, String message) {
        super(connector, operation, message, null);
        this.scope = Objects.requireNonNull(scope, "scope");
        this.destroyedAt = destroyedAt;
    }

    /** The key scope whose data key was destroyed, e.g. {@code tenant/t-7/user/u-42}. */
    public String scope() {
        return scope;
    }

    /** When it was destroyed, when the key store kept that. */
    public Optional<Instant> destroyedAt() {
        return Optional.ofNullable(destroyedAt);
    }

    @Override
    public NextStep nextStep() {
        return NextStep.GIVE_UP;
    }
}
