package dev.switchboard.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * How to talk OAuth 2.0 to one provider: endpoints, scopes, extra authorization parameters and the
 * provider's quirks (a token-response parser, attributes to keep, a scope separator). No secrets.
 * Build one by hand, take a preset ({@link #salesforce}, {@link #hubspot}, {@link #slack}), or load it from the
 * provider's discovery metadata ({@link #discover}).
 */
public final class ProviderSettings {
    private final String id;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final @Nullable URI revocationEndpoint;
    private final @Nullable String issuer;
    private final boolean issuerParameterRequired;
    private final List<String> scopes;
    private final String scopeSeparator;
    private final Map<String, String> authorizationParameters;
    private final TokenResponseParser parser;
    private final @Nullable ClientAuthMethod clientAuthMethod;

    private ProviderSettings(Builder b) {
        this.id = b.id;
        this.authorizationEndpoint = Objects.requireNonNull(b.authorizationEndpoint, "authorizationEndpoint");
        this.tokenEndpoint = Objects.requireNonNull(b.tokenEndpoint, "tokenEndpoint");
        this.revocationEndpoint = b.revocationEndpoint;
        this.issuer = b.issuer;
        this.issuerParameterRequired = b.issuerParameterRequired;
        this.scopes = List.copyOf(b.scopes);
        this.scopeSeparator = b.scopeSeparator;
        this.authorizationParameters = Map.copyOf(b.authorizationParameters);
        this.parser = b.parser != null ? b.parser : TokenResponseParser.standard(b.keptAttributes);
        this.clientAuthMethod = b.clientAuthMethod;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * Loads endpoints from the provider's metadata: RFC 8414 ({@code /.well-known/oauth-authorization-server})
     * first, OpenID Connect discovery ({@code /.well-known/openid-configuration}) second. The returned
     * builder can still set scopes, parameters and quirks.
     *
     * @param http a client without credential interceptors
     */
    public static Builder discover(String id, URI issuer, OkHttpClient http) {
        String base = issuer.toString().endsWith("/")
                ? issuer.toString().substring(0, issuer.toString().length() - 1)
                : issuer.toString();
        String path = issuer.getRawPath() == null ? "" : issuer.getRawPath();
        String origin = base.substring(0, base.length() - (path.endsWith("/") ? path.length() - 1 : path.length()));
        List<String> candidates = List.of(
                origin + "/.well-known/oauth-authorization-server" + (path.equals("/") ? "" : path),
                base + "/.well-known/openid-configuration");
        StringBuilder tried = new StringBuilder();
        for (String url : candidates) {
            try (Response r = http.newCall(new Request.Builder()
                            .url(url)
                            .header("Accept", "application/json")
                            .build())
                    .execute()) {
                ResponseBody body = r.body();
                if (!r.isSuccessful()) {
                    tried.append(url).append(" -> ").append(r.code()).append("; ");
                    continue;
                }
                AuthorizationServerMetadata m = AuthorizationServerMetadata.parse(body.string());
                if (!m.getIssuer().getValue().equals(base)
                        && !m.getIssuer().getValue().equals(issuer.toString())) {
                    throw new PermanentException(
                            "oauth",
                            "discovery",
                            "metadata at " + url + " names issuer "
                                    + m.getIssuer().getValue() + ", not " + issuer
                                    + ": refusing it (RFC 8414 section 3.3)");
                }
                Builder b = builder(id)
                        .authorizationEndpoint(m.getAuthorizationEndpointURI())
                        .tokenEndpoint(m.getTokenEndpointURI())
                        .issuer(m.getIssuer().getValue())
                        .issuerParameterRequired(m.supportsAuthorizationResponseIssuerParam());
                if (m.getRevocationEndpointURI() != null) {
                    b.revocationEndpoint(m.getRevocationEndpointURI());
                }
                return b;
            } catch (IOException e) {
                throw new TransientException(
                        "oauth", "discovery", "cannot fetch provider metadata from " + url + ": " + e, e);
            } catch (ParseException e) {
                throw new PermanentException(
                        "oauth",
                        "discovery",
                        "provider metadata at " + url + " is not valid RFC 8414" + " metadata: " + e.getMessage(),
                        e);
            }
        }
        throw new PermanentException(
                "oauth",
                "discovery",
                "provider " + issuer + " publishes no metadata (" + tried
                        + "): configure its endpoints by hand with ProviderSettings.builder");
    }

    /**
     * Salesforce: no {@code expires_in} (tokens refresh on rejection), {@code instance_url} and
     * {@code id} kept as attributes, {@code refresh_token} scope needed for a refresh token.
     *
     * @param loginUrl {@code https://login.salesforce.com}, {@code https://test.salesforce.com} or a My Domain URL
     */
    public static Builder salesforce(URI loginUrl) {
        String base = loginUrl.toString().replaceAll("/+$", "");
        return builder("salesforce")
                .authorizationEndpoint(URI.create(base + "/services/oauth2/authorize"))
                .tokenEndpoint(URI.create(base + "/services/oauth2/token"))
                .revocationEndpoint(URI.create(base + "/services/oauth2/revoke"))
                .scopes(List.of("api", "refresh_token"))
                .keepAttributes(Set.of("instance_url", "id"));
    }

    /**
     * HubSpot: space-separated scopes, a standard token response ({@code token_type: bearer},
     * {@code expires_in} of 30 minutes, a refresh token that is not rotated) and client id and secret
     * in the form body ({@link ClientAuthMethod#CLIENT_SECRET_POST}, the client's default for this
     * provider). HubSpot has no RFC 7009 revocation endpoint (a grant is deleted with
     * {@code DELETE /oauth/v1/refresh-tokens/{token}}), so none is set and {@link OAuthClient#revoke}
     * fails with a {@link PermanentException}.
     */
    public static Builder hubspot() {
        return builder("hubspot")
                .authorizationEndpoint(URI.create("https://app.hubspot.com/oauth/authorize"))
                .tokenEndpoint(URI.create("https://api.hubapi.com/oauth/v1/token"))
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST);
    }

    /** Slack v2 OAuth: {@code oauth.v2.access} with its own response shape, comma-separated scopes. */
    public static Builder slack() {
        return builder("slack")
                .authorizationEndpoint(URI.create("https://slack.com/oauth/v2/authorize"))
                .tokenEndpoint(URI.create("https://slack.com/api/oauth.v2.access"))
                .revocationEndpoint(URI.create("https://slack.com/api/auth.revoke"))
                .scopeSeparator(",")
                .parser(TokenResponseParser.slack());
    }

    public String id() {
        return id;
    }

    public URI authorizationEndpoint() {
        return authorizationEndpoint;
    }

    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    public Optional<URI> revocationEndpoint() {
        return Optional.ofNullable(revocationEndpoint);
    }

    /** The issuer identifier, checked against the callback's {@code iss} (RFC 9207) when known. */
    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    /** Whether the callback must carry {@code iss} (the provider advertises RFC 9207 support). */
    public boolean issuerParameterRequired() {
        return issuerParameterRequired;
    }

    public List<String> scopes() {
        return scopes;
    }

    public String scopeSeparator() {
        return scopeSeparator;
    }

    /** Extra authorization-request parameters ({@code access_type=offline}, {@code prompt=consent}...). */
    public Map<String, String> authorizationParameters() {
        return authorizationParameters;
    }

    public TokenResponseParser parser() {
        return parser;
    }

    /**
     * How a confidential client authenticates at this provider's token endpoint when its
     * {@link OAuthClient.Builder#authMethod} is not set (empty: {@link ClientAuthMethod#CLIENT_SECRET_BASIC}).
     */
    public Optional<ClientAuthMethod> clientAuthMethod() {
        return Optional.ofNullable(clientAuthMethod);
    }

    public Builder newBuilder() {
        Builder b = builder(id)
                .authorizationEndpoint(authorizationEndpoint)
                .tokenEndpoint(tokenEndpoint)
                .issuerParameterRequired(issuerParameterRequired)
                .scopes(scopes)
                .scopeSeparator(scopeSeparator)
                .authorizationParameters(authorizationParameters)
                .parser(parser);
        b.revocationEndpoint = revocationEndpoint;
        b.issuer = issuer;
        b.clientAuthMethod = clientAuthMethod;
        return b;
    }

    @Override
    public String toString() {
        return "ProviderSettings[" + id + ", token=" + tokenEndpoint + ", scopes=" + scopes + "]";
    }

    /** Builds {@link ProviderSettings}; the authorization and token endpoints are required. */
    public static final class Builder {
        private final String id;
        private @Nullable URI authorizationEndpoint;
        private @Nullable URI tokenEndpoint;
        private @Nullable URI revocationEndpoint;
        private @Nullable String issuer;
        private boolean issuerParameterRequired;
        private List<String> scopes = List.of();
        private String scopeSeparator = " ";
        private Map<String, String> authorizationParameters = new LinkedHashMap<>();
        private Set<String> keptAttributes = Set.of();
        private @Nullable TokenResponseParser parser;
        private @Nullable ClientAuthMethod clientAuthMethod;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id);
        }

        public Builder authorizationEndpoint(URI uri) {
            this.authorizationEndpoint = uri;
            return this;
        }

        public Builder tokenEndpoint(URI uri) {
            this.tokenEndpoint = uri;
            return this;
        }

        public Builder revocationEndpoint(@Nullable URI uri) {
            this.revocationEndpoint = uri;
            return this;
        }

        public Builder issuer(@Nullable String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder issuerParameterRequired(boolean required) {
            this.issuerParameterRequired = required;
            return this;
        }

        public Builder scopes(List<String> scopes) {
            this.scopes = List.copyOf(scopes);
            return this;
        }

        public Builder scopeSeparator(String separator) {
            this.scopeSeparator = separator;
            return this;
        }

        public Builder authorizationParameter(String name, String value) {
            this.authorizationParameters.put(name, value);
            return this;
        }

        public Builder authorizationParameters(Map<String, String> parameters) {
            this.authorizationParameters = new LinkedHashMap<>(parameters);
            return this;
        }

        /** Extra token-response fields kept as credential attributes by the standard parser. */
        public Builder keepAttributes(Set<String> names) {
            this.keptAttributes = Set.copyOf(names);
            return this;
        }

        /** A parser for providers whose token responses are not RFC 6749 (the standard one by default). */
        public Builder parser(TokenResponseParser parser) {
            this.parser = parser;
            return this;
        }

        /** The provider's default client authentication for confidential clients (HTTP Basic if unset). */
        public Builder clientAuthMethod(@Nullable ClientAuthMethod method) {
            this.clientAuthMethod = method;
            return this;
        }

        public ProviderSettings build() {
            return new ProviderSettings(this);
        }
    }
}
