package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonFormatException;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Recorded vendor answers, replayed by {@link RecordedVendor}: each answer is a request pattern
 * (method, path, and optionally query parameters that must match exactly) and what the vendor
 * answered (status, headers, JSON body). The first answer whose pattern matches a request is
 * replayed, as often as asked. Immutable: {@link #with}, {@link #set} and {@link #remove} return a
 * new recording, so a test can alter one answer (retype a field, drop one, add an enum value)
 * without touching the files.
 *
 * <p>On disk a recording is a directory holding {@code index.json} and the body files it names:
 *
 * <pre>{@code
 * {
 *   "description": "what was recorded, where from",
 *   "answers": [
 *     {"method": "POST", "path": "/crm/v3/objects/contacts/search",
 *      "body": "sample:hubspot/dlt_contacts_page.json"},
 *     {"method": "GET", "path": "/api/conversations.info", "query": {"channel": "C0ACME001"},
 *      "status": 200, "headers": {"X-Custom": "1"},
 *      "body": "conversations.info.json", "set": {"/ok": true}, "remove": ["/warning"],
 *      "append": {"/channels": [{"id": "C2"}]}}
 *   ],
 *   "unauthorized": {"status": 200, "body": "invalid_auth.json"}
 * }
 * }</pre>
 *
 * A {@code body} names a file next to the index, or with {@code sample:} one of the real payloads
 * in {@link VendorSamples}, so a real sample can answer a path the connector calls without being
 * copied. {@code set} (JSON Pointer to value), {@code append} (JSON Pointer of an array to the values
 * appended to it) and {@code remove} (JSON Pointers) adjust a body after loading, in that order: for
 * a path whose real sample lacks a field the connector needs, or for masked samples whose
 * placeholders hide a value the connector needs (Slack's masked samples say {@code "ok": false}).
 * {@code status} defaults to 200. {@code unauthorized} is the
 * answer to a request without an accepted access token.
 */
public final class Recording {
    private final String description;
    private final List<Answer> answers;
    private final @Nullable Answer unauthorized;

    private Recording(String description, List<Answer> answers, @Nullable Answer unauthorized) {
        this.description = description;
        this.answers = List.copyOf(answers);
        this.unauthorized = unauthorized;
    }

    /**
     * One recorded answer.
     *
     * @param method the HTTP method, upper case
     * @param path the request path, without query
     * @param query query (or form) parameters that must have exactly these values; others are ignored
     * @param status the status answered
     * @param headers the headers answered
     * @param body the body answered, as text
     */
    public record Answer(
            String method,
            String path,
            Map<String, String> query,
            int status,
            Map<String, String> headers,
            String body) {
        public Answer {
            method = method.toUpperCase(Locale.ROOT);
            Objects.requireNonNull(path, "path");
            query = Map.copyOf(query);
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        /** A JSON answer with status 200 to any request with this method and path. */
        public static Answer json(String method, String path, JsonValue body) {
            return new Answer(method, path, Map.of(), 200, Map.of(), body.toJson());
        }

        /** Whether this answer replays for the request. */
        public boolean matches(FakeRequest request) {
            if (!method.equals(request.method()) || !path.equals(request.path())) {
                return false;
            }
            for (Map.Entry<String, String> q : query.entrySet()) {
                if (!q.getValue().equals(request.param(q.getKey()))) {
                    return false;
                }
            }
            return true;
        }

        /** The answer as a fake's response (JSON content type unless the recording names another). */
        FakeResponse response() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json;charset=UTF-8");
            h.putAll(headers);
            return new FakeResponse(status, h, body);
        }

        Answer withBody(String body) {
            return new Answer(method, path, query, status, headers, body);
        }

        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : " " + query) + " -> " + status;
        }
    }

    /** An empty recording: every request answers 404 until answers are added with {@link #with}. */
    public static Recording of(String description) {
        return new Recording(description, List.of(), null);
    }

    /** Loads a recording from a directory holding {@code index.json}. */
    public static Recording load(Path directory) {
        return parse(directory.toString(), name -> {
            try {
                return Files.readAllBytes(directory.resolve(name));
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException(
                        "recording " + directory + " names a file it does not hold: " + name, e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Loads a recording from a class-path directory (e.g. {@code recordings/hubspot} under
     * {@code src/test/resources}) holding {@code index.json}.
     */
    public static Recording fromClasspath(String directory) {
        String base = directory.endsWith("/") ? directory : directory + "/";
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : Recording.class.getClassLoader();
        return parse("classpath:" + base, name -> {
            try (InputStream in = loader.getResourceAsStream(base + name)) {
                if (in == null) {
                    throw new IllegalArgumentException(
                            "no class-path resource " + base + name + " (is the recording under src/test/resources?)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Recording parse(String where, Function<String, byte[]> files) {
        JsonObject index;
        try {
            index = Json.parseObject(files.apply("index.json"));
        } catch (JsonFormatException e) {
            throw new IllegalArgumentException(
                    "recording " + where + ": index.json is not a JSON object: " + e.getMessage(), e);
        }
        JsonArray list = index.array("answers");
        if (list == null) {
            throw new IllegalArgumentException("recording " + where + ": index.json needs an \"answers\" array");
        }
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof JsonObject entry)) {
                throw new IllegalArgumentException("recording " + where + ": answers[" + i + "] is not an object");
            }
            answers.add(answer(where + " answers[" + i + "]", entry, files, true));
        }
        JsonObject unauthorized = index.object("unauthorized");
        return new Recording(
                index.string("description") == null ? where : index.string("description"),
                answers,
                unauthorized == null ? null : answer(where + " unauthorized", unauthorized, files, false));
    }

    private static Answer answer(String where, JsonObject entry, Function<String, byte[]> files, boolean needsRequest) {
        String method = entry.string("method");
        String path = entry.string("path");
        String bodyName = entry.string("body");
        if (needsRequest && (method == null || path == null)) {
            throw new IllegalArgumentException(where + ": needs \"method\" and \"path\"");
        }
        if (bodyName == null) {
            throw new IllegalArgumentException(
                    where + ": needs \"body\" (a file next to index.json, or sample:vendor/file.json)");
        }
        byte[] bytes = bodyName.startsWith("sample:")
                ? VendorSamples.bytes(bodyName.substring("sample:".length()))
                : files.apply(bodyName);
        String body = new String(bytes, StandardCharsets.UTF_8);
        JsonObject set = entry.object("set");
        JsonObject append = entry.object("append");
        JsonArray remove = entry.array("remove");
        if (set != null || append != null || remove != null) {
            JsonValue json = Json.parse(body);
            for (Map.Entry<String, JsonValue> s : set == null
                    ? Map.<String, JsonValue>of().entrySet()
                    : set.fields().entrySet()) {
                json = JsonPointer.set(json, s.getKey(), s.getValue());
            }
            for (Map.Entry<String, JsonValue> a : append == null
                    ? Map.<String, JsonValue>of().entrySet()
                    : append.fields().entrySet()) {
                if (!(a.getValue() instanceof JsonArray values)) {
                    throw new IllegalArgumentException(
                            where + ": \"append\" maps a JSON Pointer to an array of values to append");
                }
                for (JsonValue v : values) {
                    json = JsonPointer.set(json, a.getKey() + "/-", v);
                }
            }
            for (JsonValue r : remove == null ? JsonArray.empty() : remove) {
                if (!(r instanceof JsonString pointer)) {
                    throw new IllegalArgumentException(where + ": \"remove\" lists JSON Pointers as strings");
                }
                json = JsonPointer.remove(json, pointer.value());
            }
            body = json.toJson();
        }
        java.math.BigDecimal status = entry.number("status");
        // The unauthorized answer matches no request by itself: method and path are placeholders.
        return new Answer(
                method == null ? "ANY" : method,
                path == null ? "*" : path,
                strings(where, entry.object("query")),
                status == null ? 200 : status.intValueExact(),
                strings(where, entry.object("headers")),
                body);
    }

    private static Map<String, String> strings(String where, @Nullable JsonObject object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object != null) {
            object.fields().forEach((k, v) -> {
                if (!(v instanceof JsonString s)) {
                    throw new IllegalArgumentException(where + ": the value of \"" + k + "\" must be a string");
                }
                out.put(k, s.value());
            });
        }
        return out;
    }

    /** What the recording says it holds. */
    public String description() {
        return description;
    }

    /** The answers in matching order. */
    public List<Answer> answers() {
        return answers;
    }

    /** The answer that replays for a request, if any. */
    public @Nullable Answer answerFor(FakeRequest request) {
        for (Answer a : answers) {
            if (a.matches(request)) {
                return a;
            }
        }
        return null;
    }

    /** The recorded answer to a request without an accepted access token, if recorded. */
    public @Nullable Answer unauthorized() {
        return unauthorized;
    }

    /** This recording with {@code answer} matched before every other one. */
    public Recording with(Answer answer) {
        List<Answer> list = new ArrayList<>();
        list.add(answer);
        list.addAll(answers);
        return new Recording(description, list, unauthorized);
    }

    /**
     * This recording with the body of the answer to {@code method path} changed by {@code change}.
     *
     * @throws IllegalArgumentException if no answer has that method and path
     */
    public Recording alter(String method, String path, UnaryOperator<JsonValue> change) {
        List<Answer> list = new ArrayList<>();
        boolean found = false;
        for (Answer a : answers) {
            if (!found && a.method().equalsIgnoreCase(method) && a.path().equals(path)) {
                list.add(a.withBody(change.apply(Json.parse(a.body())).toJson()));
                found = true;
            } else {
                list.add(a);
            }
        }
        if (!found) {
            throw new IllegalArgumentException(
                    "no recorded answer to " + method + " " + path + "; answers: " + answers);
        }
        return new Recording(description + " (altered)", list, unauthorized);
    }

    /**
     * This recording with one value in the body of the answer to {@code method path} replaced or
     * added, at a JSON Pointer (RFC 6901) such as {@code /results/0/properties/email}.
     */
    public Recording set(String method, String path, String pointer, JsonValue value) {
        return alter(method, path, body -> JsonPointer.set(body, pointer, value));
    }

    /** This recording with the value at a JSON Pointer removed from the body of the answer to {@code method path}. */
    public Recording remove(String method, String path, String pointer) {
        return alter(method, path, body -> JsonPointer.remove(body, pointer));
    }

    @Override
    public String toString() {
        return "Recording[" + description + ", " + answers.size() + " answers]";
    }
}
