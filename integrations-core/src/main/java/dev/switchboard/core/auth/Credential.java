package dev.switchboard.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A credential for one connection (or one principal's grant on it): the access secret, the
 * refresh secret if any, a version that increases with every stored replacement, an optional
 * expiry, and non-secret attributes (Salesforce's {@code instance_url}, Slack's team id).
 * Immutable. Neither secret is ever printed: {@link #toString()} names the version only.
 */
public final class Credential {
    private final String accessToken;
    private final @Nullable String refreshToken;
    private final long version;
    private final @Nullable Instant expiresAt;
    private final @Nullable Instant issuedAt;
    private final Map<String, String> attributes;

    private Credential(Builder b) {
        this.accessToken = Objects.requireNonNull(b.accessToken, "accessToken");
        this.refreshToken = b.refreshToken;
        this.version = b.version;
        this.expiresAt = b.expiresAt;
        this.issuedAt = b.issuedAt;
        this.attributes = Map.copyOf(b.attributes);
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1, got " + version);
        }
    }

    /** A builder for a credential with this access token, at version 1. */
    public static Builder builder(String accessToken) {
        return new Builder(accessToken);
    }

    public Builder newBuilder() {
        Builder b = new Builder(accessToken);
        b.refreshToken = refreshToken;
        b.version = version;
        b.expiresAt = expiresAt;
        b.issuedAt = issuedAt;
        b.attributes = attributes;
        return b;
    }

    /** The secret sent with each request. */
    public String accessToken() {
        return accessToken;
    }

    public Optional<String> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /** Increases by one with every replacement stored through {@link TokenStore#compareAndSet}. */
    public long version() {
        return version;
    }

    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * When the credential was obtained, if known: with {@link #expiresAt()} it gives the credential's lifetime,
     * which bounds how early a proactive refresh may start. {@link RefreshingCredentialSource} sets it on every
     * credential it stores.
     */
    public Optional<Instant> issuedAt() {
        return Optional.ofNullable(issuedAt);
    }

    /** From {@link #issuedAt()} to {@link #expiresAt()}, when both are known. */
    public Optional<Duration> lifetime() {
        return issuedAt == null || expiresAt == null
                ? Optional.empty()
                : Optional.of(Duration.between(issuedAt, expiresAt));
    }

    /** Whether it expires within {@code margin} of {@code now} (never, without an expiry). */
    public boolean expiresWithin(Duration margin, Instant now) {
        return expiresAt != null && !now.plus(margin).isBefore(expiresAt);
    }

    /** Non-secret attributes. */
    public Map<String, String> attributes() {
        return attributes;
    }

    public @Nullable String attribute(String name) {
        return attributes.get(name);
    }

    /** The next version of this credential: same attributes, version + 1. */
    public Credential withVersion(long version) {
        return newBuilder().version(version).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c
                && version == c.version
                && accessToken.equals(c.accessToken)
                && Objects.equals(refreshToken, c.refreshToken)
                && Objects.equals(expiresAt, c.expiresAt)
                && Objects.equals(issuedAt, c.issuedAt)
                && attributes.equals(c.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, expiresAt);
    }

    @Override
    public String toString() {
        return "Credential[version=" + version + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
                + ", refreshable=" + (refreshToken != null) + ", attributes=" + attributes.keySet() + "]";
    }

    /** Builds a {@link Credential}. */
    public static final class Builder {
        private final String accessToken;
        private @Nullable String refreshToken;
        private long version = 1;
        private @Nullable Instant expiresAt;
        private @Nullable Instant issuedAt;
        private Map<String, String> attributes = Map.of();

        private Builder(String accessToken) {
            if (accessToken == null || accessToken.isEmpty()) {
                throw new IllegalArgumentException("access token must not be empty");
            }
            this.accessToken = accessToken;
        }

        public Builder refreshToken(@Nullable String refreshToken) {
            this.refreshToken = refreshToken;
            return this;
        }

        public Builder version(long version) {
            this.version = version;
            return this;
        }

        public Builder expiresAt(@Nullable Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        /** When the credential was obtained; see {@link Credential#issuedAt()}. */
        public Builder issuedAt(@Nullable Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder attributes(Map<String, String> attributes) {
            this.attributes = Map.copyOf(attributes);
            return this;
        }

        public Credential build() {
            return new Credential(this);
        }
    }
}
