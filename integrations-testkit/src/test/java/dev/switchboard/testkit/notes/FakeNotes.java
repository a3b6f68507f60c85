package dev.switchboard.testkit.notes;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeResponse;
import dev.switchboard.testkit.fake.VendorFake;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal vendor for testing the testkit itself: notes ordered by (updated, id), paged with an
 * offset token, resumed with {@code after_updated}/{@code after_id}; 429 with Retry-After.
 */
final class FakeNotes extends VendorFake {
    private final List<JsonObject> notes = new ArrayList<>();

    synchronized void seed(int count) {
        notes.clear();
        for (int i = 1; i <= count; i++) {
            notes.add(JsonObject.builder()
                    .put("id", String.format("n%03d", i))
                    .put("updated", 1000 + i / 2)
                    .put("text", "note " + i)
                    .build());
        }
    }

    @Override
    protected synchronized FakeResponse handle(FakeRequest request) {
        if (!authorized(request)) {
            return FakeResponse.json(
                    401, JsonObject.builder().put("error", "invalid_token").build());
        }
        if (request.method().equals("POST") && request.path().equals("/notes")) {
            JsonObject input = (JsonObject) request.json();
            JsonObject note = JsonObject.builder()
                    .put("id", "n" + (notes.size() + 1))
                    .put("updated", 5000)
                    .put("text", input.string("text"))
                    .build();
            notes.add(note);
            return FakeResponse.json(201, note);
        }
        if (!request.path().equals("/notes")) {
            return FakeResponse.json(
                    404, JsonObject.builder().put("error", "not_found").build());
        }
        int limit = Integer.parseInt(request.query().getOrDefault("limit", "100"));
        int offset = Integer.parseInt(request.query().getOrDefault("offset", "0"));
        List<JsonObject> visible = new ArrayList<>();
        for (JsonObject n : notes) {
            String afterUpdated = request.query("after_updated");
            if (afterUpdated != null) {
                long u = n.number("updated").longValue();
                long after = Long.parseLong(afterUpdated);
                if (u < after || (u == after && n.string("id").compareTo(request.query("after_id")) <= 0)) {
                    continue;
                }
            }
            visible.add(faults().apply(n));
        }
        List<JsonValue> page = new ArrayList<>(
                visible.subList(Math.min(offset, visible.size()), Math.min(offset + limit, visible.size())));
        JsonObject.Builder body = JsonObject.builder().put("notes", JsonArray.of(page));
        if (offset + limit < visible.size()) {
            body.put("next_offset", String.valueOf(offset + limit));
        }
        return FakeResponse.json(200, body.build());
    }

    @Override
    protected FakeResponse throttled(FakeRequest request) {
        return FakeResponse.json(
                        429, JsonObject.builder().put("error", "slow_down").build())
                .withHeader("Retry-After", "2");
    }

    @Override
    protected FakeResponse serverError(FakeRequest request, int status) {
        return FakeResponse.json(
                status, JsonObject.builder().put("error", "unavailable").build());
    }

    @Override
    protected synchronized void resetState() {
        seed(3);
    }
}
