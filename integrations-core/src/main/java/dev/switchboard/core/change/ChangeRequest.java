package dev.switchboard.core.change;

import dev.switchboard.core.Principal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to follow: the changes of some streams of one connection, for one named subscriber whose
 * positions are stored in the Switchboard's {@link PositionStore}. Immutable; {@link #newBuilder()}
 * derives another.
 *
 * <pre>{@code
 * ChangeRequest request = ChangeRequest.builder("memory", "hubspot-acme")
 *     .streams("tickets", "contacts")
 *     .pollEvery(Duration.ofMinutes(1))
 *     .build();
 * }</pre>
 */
public final class ChangeRequest {
    private final String subscriber;
    private final String connection;
    private final Set<String> streams;
    private final Duration pollInterval;
    private final boolean manual;
    private final @Nullable Principal pollAs;
    private final int pageSize;

    private ChangeRequest(Builder b) {
        this.subscriber = b.subscriber;
        this.connection = b.connection;
        this.streams = Set.copyOf(b.streams);
        this.pollInterval = b.pollInterval;
        this.manual = b.manual;
        this.pollAs = b.pollAs;
        this.pageSize = b.pageSize;
    }

    /**
     * A request of {@code subscriber} (the name its positions are stored under: keep it stable across
     * restarts, and give each consumer its own) for changes of {@code connection}.
     */
    public static Builder builder(String subscriber, String connection) {
        return new Builder(subscriber, connection);
    }

    public Builder newBuilder() {
        Builder b = new Builder(subscriber, connection);
        b.streams.addAll(streams);
        b.pollInterval = pollInterval;
        b.manual = manual;
        b.pollAs = pollAs;
        b.pageSize = pageSize;
        return b;
    }

    public String subscriber() {
        return subscriber;
    }

    public String connection() {
        return connection;
    }

    /** The streams followed; empty for every stream of the connection a feed can follow. */
    public Set<String> streams() {
        return streams;
    }

    /** How often core reads the polled streams for changes (one minute by default). */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** Whether the application polls ({@link Subscription#poll()}) instead of a thread of core's. */
    public boolean manual() {
        return manual;
    }

    /**
     * The principal whose grant polls a {@code PER_PRINCIPAL} connection; null for a {@code SHARED}
     * connection, which is polled with its own credential.
     */
    public @Nullable Principal pollAs() {
        return pollAs;
    }

    /** Records per vendor page when polling, or 0 for the connector's default. */
    public int pageSize() {
        return pageSize;
    }

    @Override
    public String toString() {
        return "ChangeRequest[" + subscriber + " on " + connection + (streams.isEmpty() ? "" : " " + streams)
                + (manual ? ", manual" : ", every " + pollInterval) + "]";
    }

    /** Builds a {@link ChangeRequest}; checks each value when it is set. */
    public static final class Builder {
        private final String subscriber;
        private final String connection;
        private final Set<String> streams = new LinkedHashSet<>();
        private Duration pollInterval = Duration.ofMinutes(1);
        private boolean manual;
        private @Nullable Principal pollAs;
        private int pageSize;

        private Builder(String subscriber, String connection) {
            if (!subscriber.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")) {
                throw new IllegalArgumentException("a subscriber name is 1-128 letters, digits, '.', '_', ':' or '-',"
                        + " starting with a letter or digit: " + subscriber);
            }
            this.subscriber = subscriber;
            this.connection = Objects.requireNonNull(connection, "connection");
        }

        /** Follows these streams (all followable streams when none is named). */
        public Builder streams(String... streams) {
            this.streams.addAll(List.of(streams));
            return this;
        }

        /** Polls every {@code interval} (at least one second). */
        public Builder pollEvery(Duration interval) {
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("poll at most once a second, not every " + interval);
            }
            this.pollInterval = interval;
            this.manual = false;
            return this;
        }

        /** No thread of core's polls: the application calls {@link Subscription#poll()} on its own schedule. */
        public Builder manual() {
            this.manual = true;
            return this;
        }

        /**
         * Polls a {@code PER_PRINCIPAL} connection with this principal's grant: the subscriber's own, or, for a
         * system subscriber, any user's.
         */
        public Builder pollAs(Principal principal) {
            this.pollAs = Objects.requireNonNull(principal, "principal");
            return this;
        }

        public Builder pageSize(int pageSize) {
            if (pageSize < 0) {
                throw new IllegalArgumentException("pageSize must not be negative");
            }
            this.pageSize = pageSize;
            return this;
        }

        public ChangeRequest build() {
            return new ChangeRequest(this);
        }
    }
}
