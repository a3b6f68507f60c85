package dev.switchboard.oauth.internal;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.http.InsecureTransportException;
import dev.switchboard.core.http.Redaction;
import dev.switchboard.core.http.TransportSecurity;
import dev.switchboard.oauth.TokenGrant;
import dev.switchboard.oauth.TokenHttpResponse;
import dev.switchboard.oauth.TokenResponseParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.HttpUrl;
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
 *
 * <p>Transport: pooled connections idle longer than the idle timeout are closed before reuse (servers
 * commonly close theirs after 5 s, and a request written into a connection the server already closed
 * is lost). A request is sent again, once, only when it failed before OkHttp began writing it (DNS, a
 * refused connection, a failed TLS handshake): the server provably never saw it. Anything that failed
 * later may have reached the server (a refresh token may have been rotated) and is reported, never
 * resent here.
 */
public final class TokenEndpoint implements HTTPRequestSender {
    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final int MAX_BODY = 1 << 20;
    private static final int MAX_IDLE_CONNECTIONS = 5;
    /** Sends of one request: the first, and one more when the first provably never left. */
    private static final int MAX_SENDS = 2;

    /** Below the 5 s keep-alive of Apache httpd, Node.js and many load balancers. */
    public static final Duration DEFAULT_IDLE_CONNECTION_TIMEOUT = Duration.ofSeconds(4);

    private final OkHttpClient http;
    /** Whose endpoint this is, for messages: "OAuth provider 'crm'". */
    private final String whose;
    /** Whether plain http to a host that is not loopback was explicitly allowed (OAuthClient.Builder.allowPlainHttp). */
    private final boolean plainHttpAllowed;
    /** The non-loopback hosts already warned about: each once per client. */
    private final java.util.Set<String> plainHttpHostsWarned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param whose what the endpoint belongs to, for messages ("OAuth provider 'crm'")
     * @param plainHttpAllowed whether plain http to a host that is not loopback may be sent (with a warning)
     */
    public TokenEndpoint(OkHttpClient http, String whose, boolean plainHttpAllowed) {
        this.http = http;
        this.whose = whose;
        this.plainHttpAllowed = plainHttpAllowed;
    }

    /**
     * A client for token endpoints only: the application's interceptors removed, OkHttp's own retries
     * and redirects off, and a connection pool of its own that closes connections idle longer than
     * {@code idleConnectionTimeout}.
     */
    public static OkHttpClient dedicated(OkHttpClient base, Duration idleConnectionTimeout) {
        OkHttpClient.Builder b = base.newBuilder()
                // OkHttp would resend a request that may have reached the server; send() decides instead.
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectionPool(new ConnectionPool(
                        MAX_IDLE_CONNECTIONS, idleConnectionTimeout.toMillis(), TimeUnit.MILLISECONDS));
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

    /** Sends a request and returns the raw answer; I/O failures are transient and name their cause. */
    public TokenHttpResponse exchange(HTTPRequest request, String operation) {
        String host = request.getURI().getHost();
        try {
            HTTPResponse r = request.send(this);
            String type = r.getHeaderValue("Content-Type");
            String body = r.getBody() == null ? "" : r.getBody();
            log.debug("{} at {} answered HTTP {}", operation, host, r.getStatusCode());
            return new TokenHttpResponse(r.getStatusCode(), type, body);
        } catch (IOException e) {
            boolean mayHaveBeenSent = !(e instanceof NotSent);
            Throwable cause = e instanceof NotSent && e.getCause() != null ? e.getCause() : e;
            String what = describe(cause);
            log.debug(
                    "{} at {} failed {}: {}",
                    operation,
                    host,
                    mayHaveBeenSent ? "after the request may have reached it" : "before the request was sent",
                    what);
            throw new TransientException(
                    "oauth",
                    operation,
                    "the token endpoint " + host + " did not answer (" + what + ", "
                            + (mayHaveBeenSent
                                    ? "after the request may have reached it"
                                    : "before the request was sent")
                            + "); stored credentials are unchanged, try again",
                    redacted(cause));
        }
    }

    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        Request okRequest = toOkHttp(request);
        // Checked on every request, not only when the client was built: redirects are off, so this is every hop.
        HttpUrl url = okRequest.url();
        if (TransportSecurity.isPlainHttpToRemoteHost(url)) {
            InsecureTransportException refusal =
                    TransportSecurity.plainHttpRefused(whose, url.host(), "OAuthClient.Builder.allowPlainHttp(true)");
            if (!plainHttpAllowed) {
                throw new PermanentException(
                        "oauth",
                        "token-endpoint",
                        "the request was refused and not sent: " + refusal.getMessage(),
                        refusal);
            }
            if (plainHttpHostsWarned.add(url.host())) {
                log.warn(
                        "{} sends plain HTTP to {}, which is not a loopback host: allowed by allowPlainHttp, so"
                                + " codes, tokens and the client secret cross the network unencrypted",
                        whose,
                        url.host());
            }
        }
        long started = System.nanoTime();
        for (int sends = 1; ; sends++) {
            SendMarker marker = new SendMarker();
            Call call = http.newCall(okRequest);
            call.addEventListener(marker); // added to this call: the application's own listener stays
            if (sends > 1 && http.callTimeoutMillis() > 0) {
                // The resend shares the first send's call timeout: together they take no longer than one call.
                // (at least 1 ms: okio reads 0 as "no timeout")
                long left = Math.max(1, http.callTimeoutMillis() - elapsedMillis(started));
                call.timeout().timeout(left, TimeUnit.MILLISECONDS);
            }
            try (Response r = call.execute()) {
                HTTPResponse out = new HTTPResponse(r.code());
                for (String name : r.headers().names()) {
                    out.setHeader(name, r.headers(name).toArray(String[]::new));
                }
                out.setBody(readBounded(r.body()));
                return out;
            } catch (IOException e) {
                if (marker.mayHaveBeenSent()) {
                    throw e;
                }
                boolean timeLeft = http.callTimeoutMillis() == 0 || elapsedMillis(started) < http.callTimeoutMillis();
                if (sends >= MAX_SENDS || !timeLeft || !worthResending(e)) {
                    throw new NotSent(e);
                }
                log.info(
                        "A request to the token endpoint {} failed before it was sent ({}); sending it once more",
                        okRequest.url().host(),
                        describe(e));
            }
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** A timeout or an interrupt ends the call: the server is not answering, or the caller gave up. */
    private static boolean worthResending(IOException e) {
        return !(e instanceof InterruptedIOException) && !Thread.currentThread().isInterrupted();
    }

    private static Request toOkHttp(ReadOnlyHTTPRequest request) {
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
        return b.build();
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

    /** The failure's type and its message, with secrets masked. */
    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + Redaction.message(e.getMessage()));
    }

    /** The I/O cause with its message redacted, so no secret rides along in a stack trace. */
    private static IOException redacted(Throwable e) {
        IOException copy =
                new IOException(e.getClass().getName() + ": " + Redaction.message(String.valueOf(e.getMessage())));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /**
     * Whether one request may have reached the server: marked when OkHttp starts writing its headers.
     * A failure before that (DNS, connect, TLS, a pooled connection found dead when acquired) proves the
     * server never saw it.
     */
    private static final class SendMarker extends EventListener {
        private volatile boolean mayHaveBeenSent;

        boolean mayHaveBeenSent() {
            return mayHaveBeenSent;
        }

        @Override
        public void requestHeadersStart(Call call) {
            mayHaveBeenSent = true;
        }
    }

    /** An I/O failure before any byte of the request was written. */
    private static final class NotSent extends IOException {
        NotSent(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
