package dev.switchboard.testkit.contract;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A failure while checking one stream, reported instead of thrown.
 *
 * @param phase {@code read} or {@code describe}
 * @param type the error's class, e.g. {@code ReauthorizationRequiredException}
 * @param nextStep the error's machine-readable next step ({@code REAUTHORIZE}, ...), or null for an
 *     error outside Switchboard's family
 * @param message the error's message (Switchboard errors never carry secrets)
 */
public record StreamError(
        String phase, String type, @Nullable String nextStep, String message) {
    public StreamError {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
    }
}
