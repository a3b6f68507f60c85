package dev.switchboard.core.internal.http;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Whether one request may have reached the vendor, as an OkHttp {@link EventListener} added to its
 * call. It is marked when OkHttp starts writing the request headers: a failure before that point (a
 * refused connection, DNS, TLS, a pooled connection found dead when acquired) proves the vendor never
 * saw the request, so even a POST may be retried.
 */
final class CallState extends EventListener {
    private volatile boolean mayHaveBeenSent;

    boolean mayHaveBeenSent() {
        return mayHaveBeenSent;
    }

    @Override
    public void requestHeadersStart(Call call) {
        mayHaveBeenSent = true;
    }
}
