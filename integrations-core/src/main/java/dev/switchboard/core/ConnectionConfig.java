package dev.switchboard.core;

import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.http.TransportSecurity;
import dev.switchboard.core.model.Schema;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One configured account of a connector. Immutable; {@link #newBuilder()} derives another. Holds no
 * secret: credentials live in the {@link dev.switchboard.core.auth.TokenStore}.
 */
public final class ConnectionConfig {
    private final String id;
    private final String connectorId;
    private final @Nullable String baseUrl;
    private final TokenMode tokenMode;
    private final @Nullable HttpSettings http;
    private final @Nullable BudgetSettings budget;
    private final Map<String, String> settings;
    private final @Nullable DriftPolicy driftPolicy;
    private final Map<String, Schema> contracts;
    private final boolean allowPlainHttp;

    private ConnectionConfig(Builder b) {
        this.id = b.id;
        this.connectorId = Objects.requireNonNull(b.connectorId, "connectorId");
        this.baseUrl = b.baseUrl;
        this.tokenMode = b.tokenMode;
        this.http = b.http;
        this.budget = b.budget;
        this.settings = Map.copyOf(b.settings);
        this.driftPolicy = b.driftPolicy;
        this.contracts = Map.copyOf(b.contracts);
        this.allowPlainHttp = b.allowPlainHttp;
    }

    /** A builder for a connection with this id. Ids are lower-case letters, digits and '-'. */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    public Builder newBuilder() {
        Builder b = new Builder(id);
        b.connectorId = connectorId;
        b.baseUrl = baseUrl;
        b.tokenMode = tokenMode;
        b.http = http;
        b.budget = budget;
        b.settings = settings;
        b.driftPolicy = driftPolicy;
        b.contracts = new java.util.LinkedHashMap<>(contracts);
        b.allowPlainHttp = allowPlainHttp;
        return b;
    }

    public String id() {
        return id;
    }

    public String connectorId() {
        return connectorId;
    }

    /**
     * Where requests go; overridable so tests and demos can point at a local fake. Empty for a connector
     * that needs no base URL (it reaches its source through a resource); a connector that needs one fails
     * the Switchboard's build without it.
     */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    public TokenMode tokenMode() {
        return tokenMode;
    }

    /**
     * Whether this connection may send plain {@code http} to a host that is not loopback (false unless set;
     * see {@link Builder#allowPlainHttp}).
     */
    public boolean allowsPlainHttp() {
        return allowPlainHttp;
    }

    /** HTTP settings for this connection, when they differ from the Switchboard's. */
    public Optional<HttpSettings> http() {
        return Optional.ofNullable(http);
    }

    /** The request budget, when it differs from the connector's default. */
    public Optional<BudgetSettings> budget() {
        return Optional.ofNullable(budget);
    }

    /** Connector-specific settings (no secrets). */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * What a read does with records that break their stream's contract, when the connection says. Unset, a
     * Switchboard applies {@link DriftPolicy#QUARANTINE} when a quarantine store was configured
     * ({@code Switchboard.Builder.quarantineStore}) and {@link DriftPolicy#REPORT} otherwise: no default moves a
     * checkpoint past records it keeps nowhere durable.
     */
    public Optional<DriftPolicy> driftPolicy() {
        return Optional.ofNullable(driftPolicy);
    }

    /**
     * The contract pinned for a stream on this connection (an org's own fields, a file kept in the
     * repository), when it replaces the one the connector declares.
     */
    public Optional<Schema> contract(String stream) {
        return Optional.ofNullable(contracts.get(stream));
    }

    /**
     * The {@link dev.switchboard.core.auth.TokenStore} key of the grant a principal's calls use:
     * the connection id, or in {@code PER_PRINCIPAL} mode {@code id/tenant/user} with tenant and user
     * URL-encoded, so that no two principals can share a key.
     */
    public String credentialKey(Principal principal) {
        return tokenMode == TokenMode.SHARED
                ? id
                : id + "/" + encode(principal.tenantId()) + "/" + encode(principal.userId());
    }

    /**
     * The {@link dev.switchboard.core.auth.TokenStore} key of a named secret of this connection, such as
     * a webhook signing secret: {@code <id>#<name>}.
     */
    public String secretKey(String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("secret names are lower-case letters, digits and '-': " + name);
        }
        return id + "#" + name;
    }

    private static String encode(String part) {
        return java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ConnectionConfig[" + id + ", connector=" + connectorId + ", baseUrl=" + baseUrl + ", tokenMode="
                + tokenMode + "]";
    }

    /**
     * Builds a {@link ConnectionConfig}; the connector id is required, and the base URL for every connector
     * that declares it needs one.
     */
    public static final class Builder {
        private final String id;
        private @Nullable String connectorId;
        private @Nullable String baseUrl;
        private TokenMode tokenMode = TokenMode.SHARED;
        private @Nullable HttpSettings http;
        private @Nullable BudgetSettings budget;
        private Map<String, String> settings = Map.of();
        private @Nullable DriftPolicy driftPolicy;
        private Map<String, Schema> contracts = new java.util.LinkedHashMap<>();
        private boolean allowPlainHttp;

        private Builder(String id) {
            if (!id.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("connection id must be lower-case letters, digits and '-': " + id);
            }
            this.id = id;
        }

        public Builder connector(String connectorId) {
            this.connectorId = connectorId;
            return this;
        }

        public Builder baseUrl(String baseUrl) {
            if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
                throw new IllegalArgumentException("base URL must be http(s): " + baseUrl);
            }
            this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            return this;
        }

        public Builder tokenMode(TokenMode tokenMode) {
            this.tokenMode = Objects.requireNonNull(tokenMode);
            return this;
        }

        public Builder http(HttpSettings http) {
            this.http = http;
            return this;
        }

        public Builder budget(BudgetSettings budget) {
            this.budget = budget;
            return this;
        }

        public Builder settings(Map<String, String> settings) {
            this.settings = Map.copyOf(settings);
            return this;
        }

        public Builder driftPolicy(DriftPolicy driftPolicy) {
            this.driftPolicy = Objects.requireNonNull(driftPolicy, "driftPolicy");
            return this;
        }

        /** Pins {@code contract} for {@code stream}, in place of the schema the connector declares. */
        public Builder contract(String stream, Schema contract) {
            contracts.put(Objects.requireNonNull(stream, "stream"), Objects.requireNonNull(contract, "contract"));
            return this;
        }

        /**
         * Allows plain {@code http} to hosts that are not loopback for this connection: its base URL, and URLs
         * the vendor hands over later (pagination links). Off by default: then only {@code https} URLs, and
         * {@code http} ones to {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}, are accepted, and any
         * other is refused with an {@link dev.switchboard.core.http.InsecureTransportException} (at build for
         * the base URL, per call for a vendor's link). When allowed, each such host is logged once per
         * connection at WARN: credentials and data then cross the network unencrypted. Meant for a vendor
         * inside a trusted network (a sidecar, a service mesh that encrypts for you), never for the internet.
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * @throws dev.switchboard.core.http.InsecureTransportException if the base URL is plain {@code http}
         *     to a host that is not loopback and {@link #allowPlainHttp} is not set
         */
        public ConnectionConfig build() {
            okhttp3.HttpUrl base = baseUrl == null ? null : okhttp3.HttpUrl.parse(baseUrl);
            if (base != null && !allowPlainHttp && TransportSecurity.isPlainHttpToRemoteHost(base)) {
                throw TransportSecurity.plainHttpRefused(
                        "connection '" + id + "'", base.host(), "ConnectionConfig.Builder.allowPlainHttp(true)");
            }
            return new ConnectionConfig(this);
        }
    }
}
