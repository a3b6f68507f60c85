package dev.switchboard.benchmarks.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;

/**
 * An OkHttp application interceptor that records every exchange for {@link Tape}: the headers the client chose
 * (the transport's own are left to each side's OkHttp) and the decoded response body, so a replay answers
 * without compression, as a fast server would.
 */
public final class TapeRecorder implements Interceptor {
    private final List<Tape.Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        byte[] body = new byte[0];
        List<String> sent = pairs(request.headers());
        okhttp3.RequestBody requestBody = request.body();
        if (requestBody != null) {
            Buffer buffer = new Buffer();
            requestBody.writeTo(buffer);
            body = buffer.readByteArray();
            if (requestBody.contentType() != null && request.header("Content-Type") == null) {
                sent.add("Content-Type"); // set by the transport from the body: each side's body says it too
                sent.add(requestBody.contentType().toString());
            }
        }
        Response response = chain.proceed(request);
        byte[] answer = response.body().bytes();
        exchanges.add(new Tape.Exchange(
                request.method(),
                request.url().encodedPath()
                        + (request.url().encodedQuery() == null
                                ? ""
                                : "?" + request.url().encodedQuery()),
                sent,
                body,
                response.code(),
                pairs(response.headers()),
                answer));
        return response.newBuilder()
                .body(ResponseBody.create(answer, response.body().contentType()))
                .build();
    }

    private static List<String> pairs(okhttp3.Headers headers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            if (!Tape.transport(headers.name(i))) {
                out.add(headers.name(i));
                out.add(headers.value(i));
            }
        }
        return out;
    }

    /** What was recorded so far. */
    public Tape tape() {
        synchronized (exchanges) {
            return new Tape(exchanges);
        }
    }
}
