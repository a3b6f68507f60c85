package dev.switchboard.core.json;

import org.jspecify.annotations.Nullable;

/**
 * Text that is not one complete JSON document: malformed, truncated, or with trailing content.
 * The message says where parsing stopped; it never quotes the input, which may hold secrets.
 */
public final class JsonFormatException extends IllegalArgumentException {
    private final long offset;

    JsonFormatException(String message, long offset, @Nullable Throwable cause) {
        super(message + " (at byte " + offset + ")", cause);
        this.offset = offset;
    }

    /** Whether the document ended before it was complete (a cut-off body, rather than a wrong one). */
    public boolean truncated() {
        return getMessage() != null && getMessage().startsWith("truncated");
    }

    /** Byte offset where parsing stopped, or -1 when unknown. */
    public long offset() {
        return offset;
    }
}
