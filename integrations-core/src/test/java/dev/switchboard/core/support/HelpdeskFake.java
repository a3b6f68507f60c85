package dev.switchboard.core.support;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The help desk {@link HelpdeskConnector} reads, as a stateful vendor on a real local HTTP server
 * (WireMock): tickets ordered by {@code updated_at} then id, listed three to a page with an opaque page
 * token, resumed with {@code after_updated}/{@code after_id}; a deleted ticket is listed as a tombstone
 * (its id, {@code updated_at} and {@code deleted_at}, nothing else) at the time of the delete. Writes
 * stamp tickets with the clock's time. Start it with {@link #start()}, stop it with {@link #close()}.
 *
 * <p>API: {@code GET /tickets}, {@code POST /tickets} (create), {@code DELETE /tickets/{id}},
 * {@code POST /comments} (touches the ticket), {@code GET /tickets/count}.
 */
public final class HelpdeskFake implements AutoCloseable {
    /** Tickets per page when the request names no {@code limit}. */
    public static final int PAGE_SIZE = 3;

    private record Ticket(
            String id,
            Instant updatedAt,
            @Nullable String subject,
            @Nullable String owner,
            @Nullable String visibility,
            @Nullable Instant deletedAt) {
        JsonObject json() {
            JsonObject.Builder b = JsonObject.builder().put("id", id).put("updated_at", updatedAt.toString());
            if (deletedAt != null) {
                return b.put("deleted_at", deletedAt.toString()).build();
            }
            if (subject != null) {
                b.put("subject", subject);
            }
            if (owner != null) {
                b.put("owner", owner);
            }
            if (visibility != null) {
                b.put("visibility", visibility);
            }
            return b.build();
        }
    }

    private static final Comparator<Ticket> ORDER =
            Comparator.comparing(Ticket::updatedAt).thenComparing(Ticket::id);

    private final Clock clock;
    private final TreeMap<String, Ticket> tickets = new TreeMap<>();
    private final WireMockServer server;
    private int created;
    private @Nullable Runnable afterNextList;

    /** A fake whose writes are stamped by {@code clock}. */
    public HelpdeskFake(Clock clock) {
        this.clock = clock;
        this.server = new WireMockServer(options().dynamicPort().extensions(new Transformer()));
    }

    public HelpdeskFake start() {
        server.start();
        server.stubFor(any(anyUrl()).willReturn(ok()));
        return this;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** Creates or replaces a ticket, as someone working in the help desk would. */
    public synchronized HelpdeskFake ticket(String id, String updatedAt, String owner, String visibility) {
        tickets.put(id, new Ticket(id, Instant.parse(updatedAt), "S " + id, owner, visibility, null));
        return this;
    }

    /** Deletes a ticket at {@code at}: from then on it is listed as a tombstone. */
    public synchronized void delete(String id, String at) {
        Ticket t = tickets.get(id);
        if (t == null) {
            throw new IllegalArgumentException("no ticket " + id);
        }
        Instant when = Instant.parse(at);
        tickets.put(id, new Ticket(id, when, null, null, null, when));
    }

    /** When the ticket was last changed (or deleted), as the fake stores it. */
    public synchronized String updatedAt(String id) {
        return tickets.get(id).updatedAt().toString();
    }

    /** Runs {@code action} once, after the next list request's answer is computed and before it is sent. */
    public synchronized void afterNextList(Runnable action) {
        this.afterNextList = action;
    }

    /** Requests received whose path starts with {@code prefix} and whose method is {@code method}. */
    public int requests(String method, String prefix) {
        return (int) server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getMethod().getName().equals(method) && path(r).startsWith(prefix))
                .count();
    }

    /** Every request received, as logged. */
    public List<LoggedRequest> requests(Predicate<LoggedRequest> matching) {
        return server.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(matching)
                .toList();
    }

    public void resetRequests() {
        server.resetRequests();
    }

    private static String path(LoggedRequest r) {
        String url = r.getUrl();
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the API -----------------------------------------------------------------------------------

    private synchronized Answer list(Request request) {
        String afterUpdated = param(request, "after_updated");
        String afterId = param(request, "after_id");
        String page = param(request, "page");
        String limit = param(request, "limit");
        int size = limit == null ? PAGE_SIZE : Integer.parseInt(limit);
        Ticket after = null;
        if (page != null) {
            String[] key = page.split("\\|", 2);
            after = new Ticket(key[1], Instant.parse(key[0]), null, null, null, null);
        } else if (afterUpdated != null && afterId != null) {
            after = new Ticket(afterId, Instant.parse(afterUpdated), null, null, null, null);
        }
        List<Ticket> ordered = new ArrayList<>(tickets.values());
        ordered.sort(ORDER);
        List<JsonValue> items = new ArrayList<>();
        Ticket last = null;
        boolean more = false;
        for (Ticket t : ordered) {
            if (after != null && ORDER.compare(t, after) <= 0) {
                continue;
            }
            if (items.size() == size) {
                more = true;
                break;
            }
            items.add(t.json());
            last = t;
        }
        JsonObject.Builder body = JsonObject.builder().put("items", JsonArray.of(items));
        if (more && last != null) {
            body.put("next_page", last.updatedAt() + "|" + last.id());
        } else {
            body.put("next_page", (String) null);
        }
        Runnable hook = afterNextList;
        afterNextList = null;
        return new Answer(200, body.build(), hook);
    }

    private synchronized Answer comment(JsonObject input) {
        String id = input.string("ticket_id");
        Ticket t = id == null ? null : tickets.get(id);
        if (t == null || t.deletedAt() != null) {
            return new Answer(404, error("no ticket " + id), null);
        }
        Instant now = clock.instant();
        tickets.put(id, new Ticket(id, now, t.subject(), t.owner(), t.visibility(), null));
        return new Answer(
                201,
                JsonObject.builder()
                        .put("id", "c-" + id + "-" + now.getEpochSecond())
                        .put("ticket_id", id)
                        .put("ticket_updated_at", now.toString())
                        .build(),
                null);
    }

    private synchronized Answer create(JsonObject input) {
        String id = "n" + (++created);
        Instant now = clock.instant();
        Ticket t =
                new Ticket(id, now, input.string("subject"), input.string("owner"), input.string("visibility"), null);
        tickets.put(id, t);
        return new Answer(201, t.json(), null);
    }

    private synchronized Answer remove(String id) {
        Ticket t = tickets.get(id);
        if (t == null || t.deletedAt() != null) {
            return new Answer(404, error("no ticket " + id), null);
        }
        Instant now = clock.instant();
        tickets.put(id, new Ticket(id, now, null, null, null, now));
        return new Answer(200, JsonObject.builder().put("deleted", id).build(), null);
    }

    private synchronized Answer count() {
        long open = tickets.values().stream().filter(t -> t.deletedAt() == null).count();
        return new Answer(200, JsonObject.builder().put("count", open).build(), null);
    }

    private static JsonObject error(String message) {
        return JsonObject.builder().put("error", message).build();
    }

    private static @Nullable String param(Request request, String name) {
        QueryParameter p = request.queryParameter(name);
        return p.isPresent() ? p.firstValue() : null;
    }

    private record Answer(
            int status, JsonObject body, @Nullable Runnable after) {}

    private Answer answer(Request request) {
        String url = request.getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        String method = request.getMethod().getName();
        if (method.equals("GET") && path.equals("/tickets")) {
            return list(request);
        }
        if (method.equals("GET") && path.equals("/tickets/count")) {
            return count();
        }
        if (method.equals("POST") && path.equals("/tickets")) {
            return create(Json.parseObject(request.getBody()));
        }
        if (method.equals("DELETE") && path.startsWith("/tickets/")) {
            return remove(path.substring("/tickets/".length()));
        }
        if (method.equals("POST") && path.equals("/comments")) {
            return comment(Json.parseObject(request.getBody()));
        }
        return new Answer(404, error("no route " + method + " " + path), null);
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Answer answer = answer(event.getRequest());
            Runnable after = answer.after();
            if (after != null) {
                after.run(); // outside the fake's lock: the hook may call the fake again
            }
            return new ResponseDefinitionBuilder()
                    .withStatus(answer.status())
                    .withHeader("Content-Type", "application/json")
                    .withBody(answer.body().toJson())
                    .build();
        }

        @Override
        public String getName() {
            return "helpdesk-fake";
        }
    }

    @Override
    public String toString() {
        return "HelpdeskFake[" + server.baseUrl() + ", " + Map.copyOf(tickets).size() + " tickets]";
    }
}
