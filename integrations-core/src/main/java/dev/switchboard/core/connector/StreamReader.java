package dev.switchboard.core.connector;

/**
 * Reads one stream page by page. Core calls {@link #nextPage()} until a page says it is the last,
 * and keeps vendor page tokens out of checkpoints: they expire, and a resume uses the
 * {@link Position} instead.
 */
public interface StreamReader extends AutoCloseable {
    /** The next page; each call sends its requests through the connection's HTTP pipeline. */
    Page nextPage();

    @Override
    default void close() {}
}
