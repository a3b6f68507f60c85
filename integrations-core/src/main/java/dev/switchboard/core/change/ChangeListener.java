package dev.switchboard.core.change;

/**
 * Receives the change events of a {@link Subscription}. Returning acknowledges the event: for a
 * positioned source (a polled stream, a database log) the subscriber's position moves past it and it
 * is not delivered again. Throwing leaves the position before it: the event, and every later one of
 * the same stream, is delivered again on the next attempt (the subscription backs off first). Called
 * on one thread at a time per subscription; events of one record arrive in order.
 */
@FunctionalInterface
public interface ChangeListener {
    void onChange(ChangeEvent event) throws Exception;
}
