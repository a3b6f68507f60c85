package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Faults a test switches on for a fake; each counted fault applies to the next N requests (after
 * an optional number of clean ones), then switches itself off. Thread-safe. Cleared before each test.
 */
public final class Faults {
    /** The kinds of fault a request can meet. */
    public enum Kind {
        /** The connection is reset before any answer. */
        RESET,
        /** A 5xx answer in the vendor's error shape. */
        SERVER_ERROR,
        /** The vendor's throttling answer (429 or its equivalent). */
        THROTTLE,
        /** The real answer, cut off half-way through its body. */
        TRUNCATE
    }

    private final AtomicInteger skip = new AtomicInteger();
    private final Map<Kind, AtomicInteger> pending = new ConcurrentHashMap<>();
    private final AtomicReference<Duration> latency = new AtomicReference<>(Duration.ZERO);
    private final AtomicReference<@Nullable String> onlyPath = new AtomicReference<>();
    private final Map<String, JsonValue> retyped = new ConcurrentHashMap<>();
    private final Map<String, Boolean> dropped = new ConcurrentHashMap<>();
    private volatile int serverErrorStatus = 503;

    /** Lets {@code requests} requests through untouched before the counted faults start. */
    public Faults after(int requests) {
        skip.set(requests);
        return this;
    }

    /** Applies the counted faults only to requests whose path starts with this prefix. */
    public Faults onlyFor(String pathPrefix) {
        onlyPath.set(pathPrefix);
        return this;
    }

    public Faults resets(int requests) {
        return add(Kind.RESET, requests);
    }

    public Faults serverErrors(int requests, int status) {
        serverErrorStatus = status;
        return add(Kind.SERVER_ERROR, requests);
    }

    public Faults throttles(int requests) {
        return add(Kind.THROTTLE, requests);
    }

    public Faults truncates(int requests) {
        return add(Kind.TRUNCATE, requests);
    }

    /** Every answer is delayed this long. */
    public Faults latency(Duration delay) {
        latency.set(delay);
        return this;
    }

    /** Records the fake renders carry this value for {@code field} instead of theirs (a type change). */
    public Faults retype(String field, JsonValue value) {
        retyped.put(field, value);
        return this;
    }

    /** Records the fake renders lose {@code field} (a removed field). */
    public Faults drop(String field) {
        dropped.put(field, true);
        return this;
    }

    public void clear() {
        skip.set(0);
        pending.clear();
        latency.set(Duration.ZERO);
        onlyPath.set(null);
        retyped.clear();
        dropped.clear();
        serverErrorStatus = 503;
    }

    private Faults add(Kind kind, int requests) {
        pending.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(requests);
        return this;
    }

    Duration latency() {
        return Objects.requireNonNull(latency.get(), "latency is never cleared to null");
    }

    int serverErrorStatus() {
        return serverErrorStatus;
    }

    /** The fault this request meets, if any; consumes one count. */
    @Nullable
    Kind next(String path) {
        String only = onlyPath.get();
        if (only != null && !path.startsWith(only)) {
            return null;
        }
        if (pending.values().stream().allMatch(c -> c.get() <= 0)) {
            return null;
        }
        if (skip.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return null;
        }
        for (Kind kind : Kind.values()) {
            AtomicInteger left = pending.get(kind);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return kind;
            }
        }
        return null;
    }

    /** A record as the fake renders it under the data faults switched on. */
    public JsonObject apply(JsonObject record) {
        if (retyped.isEmpty() && dropped.isEmpty()) {
            return record;
        }
        JsonObject.Builder b = record.newBuilder();
        retyped.forEach((field, value) -> {
            if (record.has(field)) {
                b.put(field, value);
            }
        });
        dropped.keySet().forEach(b::remove);
        return b.build();
    }
}
