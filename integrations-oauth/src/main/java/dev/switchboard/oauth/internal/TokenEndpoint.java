package dev.switchboard.oauth.internal;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.oauth.TokenGrant;
import dev.switchboard.oauth.TokenHttpResponse;
import dev.switchboard.oauth.TokenResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Nimbus-built token, refresh and revocation requests through a dedicated OkHttp client (no
 * credential interceptor, no automatic retries), and classifies the answers: I/O failures, 5xx and 429
 * are transient; everything else goes to the provider's {@link TokenResponseParser}. Stores nothing.
 */
public final class TokenEndpoint implements HTTPRequestSender {
    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final int MAX_BODY = 1 << 20;

    private final OkHttpClient http;

    public TokenEndpoint(OkHttpClient http) {
        this.http = http;
    }

    /** A client for token endpoints only: the application's interceptors removed, retries off. */
    public static OkHttpClient dedicated(OkHttpClient base) {
        OkHttpClient.Builder b =
                base.newBuilder().retryOnConnectionFailure(false).followRedirects(false);
        b.interceptors().clear();
        b.networkInterceptors().clear();
        return b.build();
    }

    /** Posts a token request and parses the grant; see the class comment for the error mapping. */
    public TokenGrant grant(HTTPRequest request, TokenResponseParser parser, String operation) {
        TokenHttpResponse response = exchange(request, operation);
        if (response.status() >= 500 || response.status() == 429) {
            throw new TransientException(
                    "oauth",
                    operation,
                    "the token endpoint " + request.getURI().getHost() + " answered HTTP " + response.status()
                            + "; stored credentials are unchanged, try again later",
                    null);
        }
        return parser.parse(response);
    }

    /** Sends a request and returns the raw answer; I/O failures are transient. */
    public TokenHttpResponse exchange(HTTPRequest request, String operation) {
        try {
            HTTPResponse r = request.send(this);
            String type = r.getHeaderValue("Content-Type");
            String body = r.getBody() == null ? "" : r.getBody();
            log.debug("{} at {} answered HTTP {}", operation, request.getURI().getHost(), r.getStatusCode());
            return new TokenHttpResponse(r.getStatusCode(), type, body);
        } catch (IOException e) {
            throw new TransientException(
                    "oauth",
                    operation,
                    "the token endpoint " + request.getURI().getHost() + " did not answer ("
                            + e.getClass().getSimpleName() + "); stored credentials are unchanged, try again",
                    e);
        }
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        Request.Builder b = new Request.Builder().url(request.getURL());
        Headers.Builder headers = new Headers.Builder();
        for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
            for (String v : h.getValue()) {
                headers.add(h.getKey(), v);
            }
        }
        b.headers(headers.build());
        String body = request.getBody();
        String method = request.getMethod().name();
        if (body != null && (method.equals("POST") || method.equals("PUT"))) {
            List<String> types = request.getHeaderMap().get("Content-Type");
            String type = types == null || types.isEmpty() ? null : types.get(0);
            b.method(
                    method,
                    RequestBody.create(
                            body.getBytes(StandardCharsets.UTF_8),
                            MediaType.parse(type == null ? "application/x-www-form-urlencoded; charset=UTF-8" : type)));
        } else {
            b.method(method, method.equals("POST") ? RequestBody.create(new byte[0], null) : null);
        }
        try (Response r = http.newCall(b.build()).execute()) {
            HTTPResponse out = new HTTPResponse(r.code());
            for (String name : r.headers().names()) {
                out.setHeader(name, r.headers(name).toArray(String[]::new));
            }
            out.setBody(readBounded(r.body()));
            return out;
        }
    }

    private static String readBounded(ResponseBody body) throws IOException {
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new PermanentException(
                        "oauth",
                        "token-endpoint",
                        "the token endpoint answered more than " + MAX_BODY + " bytes; that is not a token response");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
