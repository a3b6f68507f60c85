package dev.switchboard.core.json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** An immutable JSON array. */
public final class JsonArray implements JsonValue, Iterable<JsonValue> {
    private static final JsonArray EMPTY = new JsonArray(List.of());

    private final List<JsonValue> elements;

    private JsonArray(List<JsonValue> elements) {
        this.elements = elements;
    }

    public static JsonArray empty() {
        return EMPTY;
    }

    /** An array of these elements; the list is copied. */
    public static JsonArray of(List<? extends JsonValue> elements) {
        return elements.isEmpty() ? EMPTY : new JsonArray(List.copyOf(elements));
    }

    /** Wraps a list the caller promises never to change again (used by the parser). */
    static JsonArray wrap(List<JsonValue> elements) {
        return elements.isEmpty() ? EMPTY : new JsonArray(java.util.Collections.unmodifiableList(elements));
    }

    public static JsonArray of(JsonValue... elements) {
        return of(List.of(elements));
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public JsonValue get(int index) {
        return elements.get(index);
    }

    /** The elements, unmodifiable. */
    public List<JsonValue> elements() {
        return elements;
    }

    public Stream<JsonValue> stream() {
        return elements.stream();
    }

    @Override
    public Iterator<JsonValue> iterator() {
        return elements.iterator();
    }

    @Override
    public Type type() {
        return Type.ARRAY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonArray other && elements.equals(other.elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Builds an array element by element. */
    public static final class Builder {
        private final List<JsonValue> elements = new ArrayList<>();

        public Builder add(JsonValue value) {
            elements.add(value);
            return this;
        }

        public JsonArray build() {
            return JsonArray.of(elements);
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
