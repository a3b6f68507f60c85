package dev.switchboard.core.connector;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What a connector offers: its id, how it authenticates, its streams and its actions. Immutable. */
public final class ConnectorDescriptor {
    private final String id;
    private final AuthKind authKind;
    private final boolean needsBaseUrl;
    private final Map<String, StreamDescriptor> streams;
    private final Map<String, ActionDescriptor> actions;

    private ConnectorDescriptor(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.authKind = b.authKind;
        this.needsBaseUrl = b.needsBaseUrl;
        this.streams = Map.copyOf(b.streams);
        this.actions = Map.copyOf(b.actions);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    public AuthKind authKind() {
        return authKind;
    }

    /**
     * Whether a connection of this connector must configure a base URL: true for HTTP connectors, false
     * for one that reaches its source through a resource (a database's {@code DataSource}).
     */
    public boolean needsBaseUrl() {
        return needsBaseUrl;
    }

    public List<StreamDescriptor> streams() {
        return streams.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public List<ActionDescriptor> actions() {
        return actions.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public Optional<StreamDescriptor> stream(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    public Optional<ActionDescriptor> action(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    @Override
    public String toString() {
        return "ConnectorDescriptor[" + id + ", streams=" + streams.keySet() + ", actions=" + actions.keySet() + "]";
    }

    /** Builds a descriptor; stream and action names must be unique. */
    public static final class Builder {
        private final String id;
        private AuthKind authKind = AuthKind.BEARER;
        private boolean needsBaseUrl = true;
        private final Map<String, StreamDescriptor> streams = new LinkedHashMap<>();
        private final Map<String, ActionDescriptor> actions = new LinkedHashMap<>();

        private Builder(String id) {
            if (!id.matches("[a-z][a-z0-9-]*")) {
                throw new IllegalArgumentException("connector id must be lower-case letters, digits and '-': " + id);
            }
            this.id = id;
        }

        public Builder authKind(AuthKind authKind) {
            this.authKind = Objects.requireNonNull(authKind);
            return this;
        }

        /** Whether connections must configure a base URL (true by default; false for connectors without HTTP). */
        public Builder needsBaseUrl(boolean needsBaseUrl) {
            this.needsBaseUrl = needsBaseUrl;
            return this;
        }

        public Builder stream(StreamDescriptor stream) {
            if (streams.putIfAbsent(stream.name(), stream) != null) {
                throw new IllegalArgumentException("stream '" + stream.name() + "' is declared twice");
            }
            return this;
        }

        public Builder action(ActionDescriptor action) {
            if (actions.putIfAbsent(action.name(), action) != null) {
                throw new IllegalArgumentException("action '" + action.name() + "' is declared twice");
            }
            return this;
        }

        public ConnectorDescriptor build() {
            return new ConnectorDescriptor(this);
        }
    }
}
