package dev.switchboard.oauth;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.TransportSecurity;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
    private static final int MAX_METADATA_BYTES = 256 * 1024;

    private final String id;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final @Nullable URI revocationEndpoint;
    private final @Nullable URI introspectionEndpoint;
    private final @Nullable URI userInfoEndpoint;
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
        this.introspectionEndpoint = b.introspectionEndpoint;
        this.userInfoEndpoint = b.userInfoEndpoint;
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
     * <p>Guarantees: the issuer and every endpoint kept (authorization, token, revocation, introspection,
     * userinfo) are {@code https} URLs, or {@code http} ones on a loopback host ({@code localhost},
     * {@code 127.0.0.0/8}, {@code ::1}); the metadata's {@code issuer} is exactly {@code issuer} (RFC 8414
     * section 3.3, the trailing slash included); a metadata document over 256 KiB is refused. A refusal is a
     * {@link PermanentException} that quotes no value from the metadata.
     *
     * @param http a client without credential interceptors; one that allows TLS below 1.2 is refused with an
     *     {@link dev.switchboard.core.http.InsecureTransportException}
     * @throws TransientException if the metadata cannot be fetched (network failure)
     * @throws PermanentException if the provider publishes no metadata or metadata that breaks a rule above
     */
    public static Builder discover(String id, URI issuer, OkHttpClient http) {
        TransportSecurity.requireModernTls(http, "discovery of OAuth provider '" + id + "'");
        if (!secureOrLoopback(issuer)) {
            throw new PermanentException(
                    "oauth",
                    "discovery",
                    "the issuer " + issuer + " is not an https URL (http is accepted on loopback only)");
        }
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
                if (!secureOrLoopback(r.request().url().uri())) {
                    throw new PermanentException(
                            "oauth",
                            "discovery",
                            "the metadata request to " + url
                                    + " was redirected to a URL that is not https: refusing it");
                }
                if (!r.isSuccessful()) {
                    tried.append(url).append(" -> ").append(r.code()).append("; ");
                    continue;
                }
                return fromMetadata(id, issuer, url, readMetadata(r.body(), url));
            } catch (IOException e) {
                throw new TransientException(
                        "oauth", "discovery", "cannot fetch provider metadata from " + url + ": " + e, e);
            }
        }
        throw new PermanentException(
                "oauth",
                "discovery",
                "provider " + issuer + " publishes no metadata (" + tried
                        + "): configure its endpoints by hand with ProviderSettings.builder");
    }

    private static Builder fromMetadata(String id, URI issuer, String url, String json) {
        AuthorizationServerMetadata m;
        try {
            m = AuthorizationServerMetadata.parse(json);
        } catch (ParseException | RuntimeException e) {
            // Nimbus' message may quote the document: it is not repeated.
            throw new PermanentException(
                    "oauth",
                    "discovery",
                    "the provider metadata at " + url
                            + " is not valid RFC 8414 metadata: configure the endpoints by hand with"
                            + " ProviderSettings.builder");
        }
        if (!m.getIssuer().getValue().equals(issuer.toString())) {
            throw new PermanentException(
                    "oauth",
                    "discovery",
                    "the metadata at " + url + " names an issuer other than " + issuer
                            + ": refusing it (RFC 8414 section 3.3; check the issuer URL, trailing slash included)");
        }
        Builder b = builder(id)
                .authorizationEndpoint(requiredEndpoint(m.getAuthorizationEndpointURI(), "authorization_endpoint", url))
                .tokenEndpoint(requiredEndpoint(m.getTokenEndpointURI(), "token_endpoint", url))
                .revocationEndpoint(endpoint(m.getRevocationEndpointURI(), "revocation_endpoint", url))
                .introspectionEndpoint(endpoint(m.getIntrospectionEndpointURI(), "introspection_endpoint", url))
                .userInfoEndpoint(endpoint(userInfoEndpoint(m, url), "userinfo_endpoint", url))
                .issuer(m.getIssuer().getValue())
                .issuerParameterRequired(m.supportsAuthorizationResponseIssuerParam());
        return b;
    }

    /** {@code userinfo_endpoint} is OpenID Connect metadata, which Nimbus keeps as a custom parameter. */
    private static @Nullable URI userInfoEndpoint(AuthorizationServerMetadata m, String url) {
        Object value = m.getCustomParameter("userinfo_endpoint");
        if (value == null) {
            return null;
        }
        try {
            return new URI(String.valueOf(value));
        } catch (URISyntaxException e) {
            throw new PermanentException(
                    "oauth", "discovery", "the provider metadata at " + url + " has a malformed userinfo_endpoint");
        }
    }

    private static URI requiredEndpoint(@Nullable URI endpoint, String name, String url) {
        URI checked = endpoint(endpoint, name, url);
        if (checked == null) {
            throw new PermanentException(
                    "oauth",
                    "discovery",
                    "the provider metadata at " + url + " has no " + name
                            + ": configure the endpoints by hand with ProviderSettings.builder");
        }
        return checked;
    }

    private static @Nullable URI endpoint(@Nullable URI endpoint, String name, String url) {
        if (endpoint != null && !secureOrLoopback(endpoint)) {
            throw new PermanentException(
                    "oauth",
                    "discovery",
                    "the provider metadata at " + url + " names a " + name
                            + " that is not an https URL: refusing it (http is accepted on loopback only)");
        }
        return endpoint;
    }

    private static String readMetadata(ResponseBody body, String url) throws IOException {
        if (body.contentLength() > MAX_METADATA_BYTES) {
            throw metadataTooLarge(url);
        }
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes(MAX_METADATA_BYTES + 1);
            if (bytes.length > MAX_METADATA_BYTES) {
                throw metadataTooLarge(url);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static PermanentException metadataTooLarge(String url) {
        return new PermanentException(
                "oauth",
                "discovery",
                "the provider metadata at " + url + " is larger than " + MAX_METADATA_BYTES
                        + " bytes; that is not authorization server metadata");
    }

    /** https anywhere; http only on a loopback host, named or literal (no name is resolved). */
    static boolean secureOrLoopback(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            return false;
        }
        if (scheme.equalsIgnoreCase("https")) {
            return true;
        }
        if (!scheme.equalsIgnoreCase("http")) {
            return false;
        }
        return TransportSecurity.isLoopback(host);
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

    /** The token revocation endpoint (RFC 7009), used by {@link OAuthClient#revoke}. */
    public Optional<URI> revocationEndpoint() {
        return Optional.ofNullable(revocationEndpoint);
    }

    /** The token introspection endpoint (RFC 7662), when configured or discovered; kept, not called. */
    public Optional<URI> introspectionEndpoint() {
        return Optional.ofNullable(introspectionEndpoint);
    }

    /** The OpenID Connect userinfo endpoint, when configured or discovered; kept, not called. */
    public Optional<URI> userInfoEndpoint() {
        return Optional.ofNullable(userInfoEndpoint);
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
        b.introspectionEndpoint = introspectionEndpoint;
        b.userInfoEndpoint = userInfoEndpoint;
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
        private @Nullable URI introspectionEndpoint;
        private @Nullable URI userInfoEndpoint;
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

        /** The token introspection endpoint (RFC 7662); kept for the application, not called by Switchboard. */
        public Builder introspectionEndpoint(@Nullable URI uri) {
            this.introspectionEndpoint = uri;
            return this;
        }

        /** The OpenID Connect userinfo endpoint; kept for the application, not called by Switchboard. */
        public Builder userInfoEndpoint(@Nullable URI uri) {
            this.userInfoEndpoint = uri;
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
