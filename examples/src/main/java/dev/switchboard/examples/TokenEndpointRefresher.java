package dev.switchboard.examples;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialRefresher;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An OAuth 2.0 refresh-token grant (RFC 6749 §6) against one token endpoint, sent with the JDK's
 * HTTP client. It only fetches: {@link dev.switchboard.core.auth.RefreshingCredentialSource} decides
 * when to call it, makes concurrent rejections share one call, and stores the result by version.
 *
 * <p>Example code: a real application would use the OAuth module's token manager. It never puts a
 * token in an exception message or a log line.
 */
final class TokenEndpointRefresher implements CredentialRefresher {
  private static final String OPERATION = "token-refresh";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String connector;
  private final URI tokenEndpoint;
  private final String clientId;
  private final Clock clock;

  TokenEndpointRefresher(String connector, URI tokenEndpoint, String clientId, Clock clock) {
    this.connector = connector;
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = clientId;
    this.clock = clock;
  }

  @Override
  public Credential refresh(String key, Credential current) {
    String refreshToken = current.refreshToken().orElseThrow(() -> new ReauthorizationRequiredException(connector,
        OPERATION, "the credential for '" + key + "' has no refresh token: the user must authorize again"));
    HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
            "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId))))
        .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TransientException(connector, OPERATION, "the token endpoint could not be reached ("
          + e.getClass().getSimpleName() + ")", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException(connector, OPERATION, "interrupted while refreshing", null);
    }
    int status = response.statusCode();
    if (status >= 500 || status == 429) {
      throw new TransientException(connector, OPERATION, "the token endpoint answered HTTP " + status, null);
    }
    JsonObject body;
    try {
      body = Json.parseObject(response.body());
    } catch (JsonFormatException e) {
      throw new TransientException(connector, OPERATION, "the token endpoint answered HTTP " + status
          + " with a body that is not a JSON object", null);
    }
    if (status != 200) {
      // invalid_grant and friends: the refresh token was revoked or expired; only the user can fix that.
      throw new ReauthorizationRequiredException(connector, OPERATION, "the token endpoint refused the refresh (HTTP "
          + status + " " + body.string("error") + "): the user must authorize '" + key + "' again");
    }
    String accessToken = body.string("access_token");
    if (accessToken == null || accessToken.isEmpty()) {
      throw new ReauthorizationRequiredException(connector, OPERATION, "the token endpoint returned no access_token");
    }
    BigDecimal expiresIn = body.number("expires_in");
    String rotated = body.string("refresh_token");
    return Credential.builder(accessToken)
        .refreshToken(rotated != null ? rotated : refreshToken) // keep the old one unless the server rotated it
        .expiresAt(expiresIn == null ? null : clock.instant().plusSeconds(expiresIn.longValue()))
        .attributes(current.attributes())
        .build();
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
