package dev.switchboard.core.internal.http;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Per-request state carried as an OkHttp tag. The network interceptor marks a request "sent" just
 * before OkHttp writes it to a connection: a failure before that point (refused, DNS, TLS) proves
 * the vendor never saw it, so even a POST may be retried.
 */
final class CallState {
    private volatile boolean mayHaveBeenSent;

    boolean mayHaveBeenSent() {
        return mayHaveBeenSent;
    }

    /** Network interceptor: runs once a connection is established, right before the request is written. */
    static final Interceptor MARK_SENT = chain -> {
        CallState state = chain.request().tag(CallState.class);
        if (state != null) {
            state.mayHaveBeenSent = true;
        }
        return proceed(chain);
    };

    private static Response proceed(Interceptor.Chain chain) throws IOException {
        return chain.proceed(chain.request());
    }
}
