package dev.switchboard.core.support;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialRefresher;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import okhttp3.FormBody;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A refresher that really calls a token endpoint (a WireMock stub in tests), so tests count refreshes
 * as requests the server received.
 */
public final class TokenEndpoint implements CredentialRefresher {
    private final String url;

    public TokenEndpoint(String url) {
        this.url = url;
    }

    @Override
    public Credential refresh(String key, Credential current) {
        Request request = new Request.Builder()
                .url(url)
                .post(new FormBody.Builder()
                        .add("grant_type", "refresh_token")
                        .add("refresh_token", current.refreshToken().orElseThrow())
                        .build())
                .build();
        try (Response response = PipelineFixture.SHARED_CLIENT.newCall(request).execute()) {
            if (response.code() == 400) {
                throw new ReauthorizationRequiredException("testvendor", "token-refresh", "invalid_grant");
            }
            JsonObject body = Json.parseObject(response.body().bytes());
            return Credential.builder(minted(SecretKind.ACCESS_TOKEN, body.string("access_token")))
                    .refreshToken(
                            body.has("refresh_token")
                                    ? minted(SecretKind.REFRESH_TOKEN, body.string("refresh_token"))
                                    : current.refreshToken().orElse(null))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a token the endpoint issued with the run's secret check (values too short to check are not). */
    private static String minted(SecretKind kind, String token) {
        return token.length() >= dev.switchboard.testkit.secrets.SecretRegistry.MIN_LENGTH
                ? Secrets.register(kind, token)
                : token;
    }
}
