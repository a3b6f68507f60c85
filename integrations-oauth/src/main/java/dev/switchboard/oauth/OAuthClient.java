package dev.switchboard.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialRefresher;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.TransportSecurity;
import dev.switchboard.oauth.internal.TokenEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OAuth 2.0 client registration at one provider: builds authorization URLs (always PKCE with
 * S256, a fresh {@code state}), checks callbacks, exchanges codes, refreshes and revokes. Built on
 * Nimbus oauth2-oidc-sdk; every token-endpoint call goes through its own OkHttp client with no
 * credential interceptor and its own connection pool, which closes connections idle longer than
 * {@link Builder#idleConnectionTimeout}. A request is sent a second time only when it failed before any
 * byte of it was written (DNS, connect, TLS handshake); nothing that may have reached the server is
 * resent here. It never stores anything: {@link TokenManager} does.
 *
 * <h2>Callback errors</h2>
 * <table>
 *   <tr><th>callback</th><th>error</th><th>next step</th></tr>
 *   <tr><td>scheme, host or path differs from the redirect URI sent</td><td>{@link InvalidInputException}</td>
 *       <td>pass the URL the browser requested</td></tr>
 *   <tr><td>{@code state} missing or different</td><td>{@link InvalidInputException}</td><td>start again</td></tr>
 *   <tr><td>the pending authorization is older than {@link Builder#authorizationLifetime}</td>
 *       <td>{@link ReauthorizationRequiredException}</td><td>start again</td></tr>
 *   <tr><td>{@code iss} different from the provider's issuer, or missing when the provider
 *       advertises RFC 9207</td><td>{@link InvalidInputException}</td><td>start again</td></tr>
 *   <tr><td>{@code error=access_denied} (and {@code consent_required}, {@code login_required},
 *       {@code interaction_required})</td><td>{@link ConsentDeniedException}</td><td>ask the user</td></tr>
 *   <tr><td>{@code error=temporarily_unavailable} / {@code server_error}</td><td>{@link TransientException}</td>
 *       <td>retry later</td></tr>
 *   <tr><td>any other {@code error}</td><td>{@link PermanentException}</td><td>fix the provider settings</td></tr>
 *   <tr><td>no {@code code}</td><td>{@link InvalidInputException}</td><td>start again</td></tr>
 *   <tr><td>code rejected at the token endpoint ({@code invalid_grant}: expired, reused)</td>
 *       <td>{@link ReauthorizationRequiredException}</td><td>start again</td></tr>
 * </table>
 */
public final class OAuthClient {
    private static final Logger log = LoggerFactory.getLogger(OAuthClient.class);

    private final ProviderSettings provider;
    private final ClientID clientId;
    private final @Nullable Secret secret;
    private final ClientAuthMethod authMethod;
    private final TokenEndpoint endpoint;
    private final Clock clock;
    private final Duration authorizationLifetime;

    private OAuthClient(Builder b) {
        this.provider = b.provider;
        this.clientId = new ClientID(b.clientId);
        this.secret = b.clientSecret == null ? null : new Secret(b.clientSecret);
        this.authMethod = b.authMethod != null
                ? b.authMethod
                : b.clientSecret == null
                        ? ClientAuthMethod.NONE
                        : b.provider.clientAuthMethod().orElse(ClientAuthMethod.CLIENT_SECRET_BASIC);
        if (authMethod != ClientAuthMethod.NONE && secret == null) {
            throw new IllegalArgumentException(authMethod + " needs a client secret");
        }
        String whose = "OAuth provider '" + provider.id() + "'";
        if (b.http != null) {
            TransportSecurity.requireModernTls(b.http, whose + " (OAuthClient.Builder.httpClient)");
        }
        // The endpoints Switchboard sends to (token, revocation) or sends the user's browser to (authorization):
        // a code, a refresh token or a client secret must not cross the network in clear text.
        List<URI> endpoints =
                new java.util.ArrayList<>(List.of(provider.authorizationEndpoint(), provider.tokenEndpoint()));
        provider.revocationEndpoint().ifPresent(endpoints::add);
        for (URI uri : endpoints) {
            HttpUrl url = HttpUrl.parse(uri.toString());
            if (url != null && TransportSecurity.isPlainHttpToRemoteHost(url) && !b.allowPlainHttp) {
                throw TransportSecurity.plainHttpRefused(whose, url.host(), "OAuthClient.Builder.allowPlainHttp(true)");
            }
        }
        this.endpoint = new TokenEndpoint(
                TokenEndpoint.dedicated(b.http != null ? b.http : defaultHttp(), b.idleConnectionTimeout),
                whose,
                b.allowPlainHttp);
        this.clock = b.clock;
        this.authorizationLifetime = b.authorizationLifetime;
    }

    private static OkHttpClient defaultHttp() {
        return new OkHttpClient.Builder()
                .connectionSpecs(TransportSecurity.connectionSpecs())
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(15))
                .build();
    }

    public static Builder builder(ProviderSettings provider, String clientId) {
        return new Builder(provider, clientId);
    }

    public ProviderSettings provider() {
        return provider;
    }

    /** An authorization request with the provider's scopes. */
    public PendingAuthorization authorizationUrl(URI redirectUri) {
        return authorizationUrl(redirectUri, provider.scopes(), Map.of());
    }

    /**
     * An authorization request: PKCE with S256 (never PLAIN), a fresh random {@code state}, these
     * scopes, the provider's extra parameters and then {@code extraParameters}.
     */
    public PendingAuthorization authorizationUrl(
            URI redirectUri, List<String> scopes, Map<String, String> extraParameters) {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        AuthorizationRequest.Builder b = new AuthorizationRequest.Builder(ResponseType.CODE, clientId)
                .endpointURI(provider.authorizationEndpoint())
                .redirectionURI(redirectUri)
                .state(state)
                .codeChallenge(verifier, CodeChallengeMethod.S256);
        if (!scopes.isEmpty()) {
            if (provider.scopeSeparator().equals(" ")) {
                b.scope(new Scope(scopes.toArray(String[]::new)));
            } else {
                b.customParameter("scope", String.join(provider.scopeSeparator(), scopes));
            }
        }
        Map<String, String> params = new LinkedHashMap<>(provider.authorizationParameters());
        params.putAll(extraParameters);
        params.forEach(b::customParameter);
        return new PendingAuthorization(
                b.build().toURI(), redirectUri, state.getValue(), verifier.getValue(), clock.instant());
    }

    /** Checks a callback URI (the redirect with its query) and exchanges its code; see the class comment. */
    public Credential exchange(PendingAuthorization pending, URI callback) {
        Map<String, List<String>> params;
        try {
            params = AuthorizationResponse.parseResponseParameters(callback);
        } catch (ParseException e) {
            throw new InvalidInputException(
                    "oauth", "callback", "the callback carries no parameters: start the" + " authorization again");
        }
        return exchange(pending, callback, params);
    }

    private Credential exchange(PendingAuthorization pending, URI callback, Map<String, List<String>> params) {
        if (!sameEndpoint(callback, pending.redirectUri())) {
            throw new InvalidInputException(
                    "oauth",
                    "callback",
                    "the callback's scheme, host or path differs from the redirect URI "
                            + pending.redirectUri()
                            + " of the authorization request: pass the full URL the browser was redirected to,"
                            + " as the browser requested it");
        }
        String iss = first(params.get("iss"));
        if (provider.issuer().isPresent()
                && iss != null
                && !provider.issuer().get().equals(iss)) {
            // The foreign value is not quoted: it comes from whoever sent the browser here.
            throw new InvalidInputException(
                    "oauth",
                    "callback",
                    "the callback names an issuer other than "
                            + provider.issuer().get()
                            + " (possible mix-up attack, RFC 9207): start the authorization again");
        }
        if (iss == null && provider.issuerParameterRequired()) {
            throw new InvalidInputException(
                    "oauth",
                    "callback",
                    "the callback has no 'iss' although " + provider.id()
                            + " always sends one (RFC 9207): start the authorization again");
        }
        String state = first(params.get("state"));
        if (state == null || !constantTimeEquals(state, pending.state())) {
            throw new InvalidInputException(
                    "oauth",
                    "callback",
                    "the callback's 'state' does not match the authorization"
                            + " request (a stale browser tab, a second login, or a forged request): start the authorization again");
        }
        if (!clock.instant().isBefore(pending.createdAt().plus(authorizationLifetime))) {
            throw new ReauthorizationRequiredException(
                    "oauth",
                    "callback",
                    "the authorization request expired (it is valid for " + authorizationLifetime
                            + " after it starts): start the authorization again");
        }
        String error = first(params.get("error"));
        if (error != null) {
            throw callbackError(error);
        }
        if (first(params.get("code")) == null) {
            throw new InvalidInputException(
                    "oauth", "callback", "the callback has no 'code' parameter: start the" + " authorization again");
        }
        AuthorizationCode code;
        try {
            code = AuthorizationResponse.parse(callback).toSuccessResponse().getAuthorizationCode();
        } catch (ParseException | RuntimeException e) {
            throw new InvalidInputException(
                    "oauth",
                    "callback",
                    "the callback is not a valid authorization response: start" + " the authorization again");
        }
        AuthorizationGrant grant =
                new AuthorizationCodeGrant(code, pending.redirectUri(), new CodeVerifier(pending.codeVerifier()));
        TokenGrant granted = endpoint.grant(tokenRequest(grant), provider.parser(), "code-exchange");
        log.info("Exchanged an authorization code at {} for a credential", provider.id());
        return toCredential(granted, null);
    }

    /**
     * Runs the whole flow for a CLI or desktop app: a {@link LoopbackReceiver} on 127.0.0.1 expecting
     * this request's {@code state}, the URL handed to {@code openBrowser}, the callback awaited for
     * {@code timeout} (keep it within {@link Builder#authorizationLifetime}), the code exchanged.
     */
    public Credential authorizeWithLoopback(Consumer<URI> openBrowser, Duration timeout) {
        try (LoopbackReceiver receiver = LoopbackReceiver.start()) {
            PendingAuthorization pending = authorizationUrl(receiver.redirectUri());
            receiver.expect(pending);
            openBrowser.accept(pending.authorizationUrl());
            return exchange(pending, receiver.await(timeout));
        }
    }

    /** Refreshes {@code current} with its refresh token; the server's new refresh token, if any, replaces it. */
    public Credential refresh(Credential current) {
        String rt = current.refreshToken()
                .orElseThrow(() -> new ReauthorizationRequiredException(
                        "oauth",
                        "token-refresh",
                        "the credential has no refresh token: ask the user to authorize this connection again"));
        TokenGrant granted = endpoint.grant(
                tokenRequest(new RefreshTokenGrant(new RefreshToken(rt))), provider.parser(), "token-refresh");
        return toCredential(granted, current);
    }

    /** This client as the refresher of a {@link dev.switchboard.core.auth.RefreshingCredentialSource}. */
    public CredentialRefresher refresher() {
        return (key, current) -> refresh(current);
    }

    /**
     * Revokes the credential's refresh token (or its access token when it has none) at the provider's
     * revocation endpoint (RFC 7009). The server answers 200 for tokens it no longer knows.
     *
     * @throws PermanentException if the provider has no revocation endpoint
     */
    public void revoke(Credential credential) {
        URI uri = provider.revocationEndpoint()
                .orElseThrow(
                        () -> new PermanentException(
                                "oauth",
                                "revoke",
                                provider.id()
                                        + " has no revocation endpoint configured: revoke the grant in the provider's console"));
        Token token = credential
                .refreshToken()
                .<Token>map(RefreshToken::new)
                .orElseGet(() -> new TypelessAccessToken(credential.accessToken()));
        TokenRevocationRequest request = clientAuthentication() == null
                ? new TokenRevocationRequest(uri, clientId, token)
                : new TokenRevocationRequest(uri, clientAuthentication(), token);
        TokenHttpResponse response = endpoint.exchange(request.toHTTPRequest(), "revoke");
        if (response.status() >= 500 || response.status() == 429) {
            throw new TransientException(
                    "oauth",
                    "revoke",
                    "the revocation endpoint answered HTTP " + response.status()
                            + "; the grant may still be valid, try again",
                    null);
        }
        if (response.status() >= 300 && response.status() != 400) {
            throw new PermanentException(
                    "oauth", "revoke", "the revocation endpoint answered HTTP " + response.status());
        }
        if (response.status() == 400 && !response.body().contains("unsupported_token_type")) {
            throw new PermanentException("oauth", "revoke", "the revocation endpoint refused the request (HTTP 400)");
        }
        log.info("Revoked a grant at {}", provider.id());
    }

    private HTTPRequest tokenRequest(AuthorizationGrant grant) {
        ClientAuthentication auth = clientAuthentication();
        TokenRequest.Builder b = auth == null
                ? new TokenRequest.Builder(provider.tokenEndpoint(), clientId, grant)
                : new TokenRequest.Builder(provider.tokenEndpoint(), auth, grant);
        return b.build().toHTTPRequest();
    }

    private @Nullable ClientAuthentication clientAuthentication() {
        return switch (authMethod) {
            case NONE -> null;
            case CLIENT_SECRET_BASIC -> new ClientSecretBasic(clientId, Objects.requireNonNull(secret));
            case CLIENT_SECRET_POST -> new ClientSecretPost(clientId, Objects.requireNonNull(secret));
        };
    }

    private Credential toCredential(TokenGrant granted, @Nullable Credential previous) {
        Map<String, String> attributes = new LinkedHashMap<>(previous == null ? Map.of() : previous.attributes());
        attributes.putAll(granted.attributes());
        if (granted.scope() != null) {
            attributes.put("scope", granted.scope());
        }
        String refreshToken = granted.refreshToken() != null
                ? granted.refreshToken()
                : previous == null ? null : previous.refreshToken().orElse(null);
        // One instant for both: the lifetime is exactly the expires_in sent, so a refresh window of half of it holds.
        Instant now = clock.instant();
        return Credential.builder(granted.accessToken())
                .refreshToken(refreshToken)
                .issuedAt(now)
                .expiresAt(granted.expiresIn() == null ? null : now.plus(granted.expiresIn()))
                .attributes(attributes)
                .build();
    }

    private static RuntimeException callbackError(String error) {
        return switch (error) {
            case "access_denied",
                    "consent_required",
                    "login_required",
                    "interaction_required",
                    "account_selection_required" ->
                new ConsentDeniedException(
                        "oauth",
                        "callback",
                        "the user did not grant access (" + error
                                + "): ask them whether to connect the account, then start the authorization again");
            case "temporarily_unavailable", "server_error" ->
                new TransientException(
                        "oauth",
                        "callback",
                        "the authorization server failed (" + error + "): start the authorization again later",
                        null);
            default ->
                new PermanentException(
                        "oauth",
                        "callback",
                        "the authorization server refused the request (" + error
                                + "): check the client id, redirect URI and scopes configured for this provider");
        };
    }

    private static @Nullable String first(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Same scheme and host (ignoring case) and the same path; ports and queries are not compared. */
    private static boolean sameEndpoint(URI callback, URI redirect) {
        return callback.getScheme() != null
                && callback.getScheme().equalsIgnoreCase(redirect.getScheme())
                && callback.getHost() != null
                && callback.getHost().equalsIgnoreCase(redirect.getHost())
                && Objects.equals(callback.getRawPath(), redirect.getRawPath());
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "OAuthClient[" + provider.id() + ", clientId=" + clientId + ", auth=" + authMethod + "]";
    }

    /** Builds an {@link OAuthClient}. */
    public static final class Builder {
        private final ProviderSettings provider;
        private final String clientId;
        private @Nullable String clientSecret;
        private @Nullable ClientAuthMethod authMethod;
        private @Nullable OkHttpClient http;
        private Clock clock = Clock.systemUTC();
        private Duration idleConnectionTimeout = TokenEndpoint.DEFAULT_IDLE_CONNECTION_TIMEOUT;
        private Duration authorizationLifetime = Duration.ofMinutes(10);
        private boolean allowPlainHttp;

        private Builder(ProviderSettings provider, String clientId) {
            this.provider = Objects.requireNonNull(provider);
            this.clientId = Objects.requireNonNull(clientId);
        }

        /**
         * A confidential client's secret; sent with the provider's {@link ProviderSettings#clientAuthMethod} if it has
         * one, else {@link ClientAuthMethod#CLIENT_SECRET_BASIC}, unless told otherwise ({@link #authMethod}).
         */
        public Builder clientSecret(String clientSecret) {
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder authMethod(ClientAuthMethod authMethod) {
            this.authMethod = authMethod;
            return this;
        }

        /**
         * The OkHttp client to derive the token-endpoint client from (its interceptors are dropped, OkHttp's
         * retries and redirects switched off, its connection pool replaced by one of the token endpoint's own;
         * see {@link #idleConnectionTimeout}). Its connection specs are kept, but one that allows TLS below 1.2 is
         * refused by {@link #build()}. Default: 5 s connect, 10 s read, 15 s call timeout, and
         * {@link TransportSecurity#connectionSpecs()}.
         */
        public Builder httpClient(OkHttpClient http) {
            this.http = http;
            return this;
        }

        /** The clock that turns {@code expires_in} into an expiry and ages pending authorizations. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * How long a connection to the token endpoint may stay idle in the pool before it is closed
         * rather than reused. Keep it below the provider's keep-alive timeout: a request written into a
         * connection the server has closed fails. Default 4 s (servers commonly close idle connections
         * after 5 s).
         */
        public Builder idleConnectionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleConnectionTimeout must be positive");
            }
            this.idleConnectionTimeout = timeout;
            return this;
        }

        /**
         * How long a {@link PendingAuthorization} stays valid after it was created (by this client's
         * clock): a callback that arrives later fails with a {@link ReauthorizationRequiredException}
         * telling the user to start again. Default 10 minutes.
         */
        public Builder authorizationLifetime(Duration lifetime) {
            if (lifetime.isNegative() || lifetime.isZero()) {
                throw new IllegalArgumentException("authorizationLifetime must be positive");
            }
            this.authorizationLifetime = lifetime;
            return this;
        }

        /**
         * Allows the provider's endpoints to be plain {@code http} on hosts that are not loopback. Off by
         * default: then an authorization, token or revocation endpoint on {@code http} is accepted only on
         * {@code localhost}, {@code 127.0.0.0/8} or {@code ::1}, and {@link #build()} refuses any other with an
         * {@link dev.switchboard.core.http.InsecureTransportException}. When allowed, the first request to each
         * such host is logged at WARN: codes, refresh tokens and the client secret then cross the network
         * unencrypted.
         */
        public Builder allowPlainHttp(boolean allow) {
            this.allowPlainHttp = allow;
            return this;
        }

        /**
         * @throws dev.switchboard.core.http.InsecureTransportException if an endpoint is plain {@code http} on a
         *     host that is not loopback without {@link #allowPlainHttp}, or the {@link #httpClient} allows TLS
         *     below 1.2
         */
        public OAuthClient build() {
            return new OAuthClient(this);
        }
    }
}
