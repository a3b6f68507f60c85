package dev.switchboard.benchmarks.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The floor: the requests of a tape sent with a plain OkHttp client (its defaults), each answer parsed with
 * Jackson databind into a tree and its records' emails read, as a hand-written client of the vendor would.
 *
 * <p>HubSpot's search is paged by key (see the connector's {@code SearchReader}): a full page's last
 * millisecond may continue on the next page, so the next query starts at it and returns that page's last
 * records again. The floor counts each record once, as Switchboard delivers it: a record whose id the
 * previous answer held is the boundary repeated, not a new one. Only the previous answer's ids are kept.
 */
public final class RawReplayClient implements AutoCloseable {
    private final OkHttpClient client = new OkHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String baseUrl;
    private final List<Tape.Exchange> requests;

    public RawReplayClient(String baseUrl, Tape op) {
        this.baseUrl = baseUrl;
        this.requests = op.exchanges();
    }

    /** Sends every request of the tape in order; returns how many distinct records with an email it read. */
    public int read() throws IOException {
        return read(null);
    }

    /**
     * As {@link #read()}, and adds the id of every distinct record read to {@code ids} when given (with or
     * without an email), to check that both sides of a benchmark read the same records.
     */
    public int read(@Nullable ReadDigest ids) throws IOException {
        int n = 0;
        Set<String> previous = new HashSet<>();
        Set<String> current = new HashSet<>();
        for (Tape.Exchange e : requests) {
            Request.Builder b = new Request.Builder().url(baseUrl + e.target());
            @Nullable MediaType type = null;
            List<String> headers = e.requestHeaders();
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                if (headers.get(i).equalsIgnoreCase("Content-Type")) {
                    type = MediaType.get(headers.get(i + 1));
                } else {
                    b.header(headers.get(i), headers.get(i + 1));
                }
            }
            b.method(e.method(), e.method().equals("GET") ? null : RequestBody.create(e.requestBody(), type));
            try (Response response = client.newCall(b.build()).execute()) {
                if (response.code() != 200) {
                    throw new IOException("HTTP " + response.code() + " for " + e.method() + " " + e.target());
                }
                JsonNode page = mapper.readTree(response.body().byteStream());
                for (JsonNode r : page.path("results")) {
                    String id = r.path("id").asText();
                    current.add(id);
                    if (previous.contains(id)) {
                        continue; // the key-paging boundary, already counted from the previous answer
                    }
                    if (ids != null) {
                        ids.add(id);
                    }
                    if (r.path("properties").path("email").isTextual()) {
                        n++;
                    }
                }
                Set<String> swap = previous;
                previous = current;
                current = swap;
                current.clear();
            }
        }
        return n;
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
