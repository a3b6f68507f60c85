package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable JSON object. Field order is the order of the source document. Accessors return
 * {@code null} for an absent field and throw nothing for a field of another type: the typed
 * accessors ({@link #string}, {@link #number}, ...) return {@code null} when the field is absent,
 * JSON {@code null}, or not of that type, so callers can tell "missing" from a value.
 */
public final class JsonObject implements JsonValue {
    private static final JsonObject EMPTY = new JsonObject(new String[0], new JsonValue[0], 0);
    // Up to this many fields a lookup scans the names (most vendor records); above, a hash index.
    private static final int SCAN_LIMIT = 16;

    // Names and values in document order, side by side: no map entries to allocate per field, which
    // is most of what parsing a page costs.
    private final String[] names;
    private final JsonValue[] values;
    private final int size;
    // The names' hashes side by side: a scan compares ints and touches a name only on a match.
    private final int[] hashes;
    private final int @Nullable [] index;
    // An object parsed on first look (parseOnFirstLook): size is DEFERRED and the arrays are empty until
    // then; every method first asks size < 0, a test on a field it reads anyway, so an object parsed at
    // once pays nothing for it. The parsed object is all final fields, so a racy first look that parses
    // twice publishes two equal, safely constructed objects.
    private static final int DEFERRED = -1;
    private final byte @Nullable [] source;
    private @Nullable JsonObject parsed;

    private JsonObject(String[] names, JsonValue[] values, int size) {
        this(names, values, hashesOf(names, size), size);
    }

    /** With the names' hashes already computed (a builder keeps them as it goes). */
    private JsonObject(String[] names, JsonValue[] values, int[] hashes, int size) {
        this.names = names;
        this.values = values;
        this.size = size;
        this.hashes = hashes;
        this.index = size > SCAN_LIMIT ? buildIndex(names, hashes, size) : null;
        this.source = null;
    }

    private JsonObject(byte[] source) {
        this.names = EMPTY.names;
        this.values = EMPTY.values;
        this.hashes = EMPTY.hashes;
        this.index = null;
        this.size = DEFERRED;
        this.source = source;
    }

    /**
     * An object whose fields are parsed from {@code utf8} when one of its methods first needs them; its
     * {@link #type()} needs none. For documents their source has already checked to be one JSON object
     * with unique names (a PostgreSQL {@code jsonb} value): a document that is not one throws
     * {@link JsonFormatException} at that first look instead of here. The array is kept as handed over
     * (not copied): the caller must not change it. Equal to, and indistinguishable through every method
     * from, the object {@link Json#parseObject} gives for the same bytes.
     */
    static JsonObject parseOnFirstLook(byte[] utf8) {
        return new JsonObject(utf8);
    }

    /** The object itself, or the one parsed from its source on first look. */
    private JsonObject contents() {
        JsonObject p = parsed;
        if (p == null) {
            p = Json.parseObject(java.util.Objects.requireNonNull(source));
            parsed = p;
        }
        return p;
    }

    private static int[] hashesOf(String[] names, int size) {
        int[] hashes = new int[size];
        for (int i = 0; i < size; i++) {
            hashes[i] = names[i].hashCode();
        }
        return hashes;
    }

    public static JsonObject empty() {
        return EMPTY;
    }

    /** An object with these fields, in the map's iteration order; the map is copied. */
    public static JsonObject of(Map<String, ? extends JsonValue> fields) {
        if (fields.isEmpty()) {
            return EMPTY;
        }
        String[] names = new String[fields.size()];
        JsonValue[] values = new JsonValue[fields.size()];
        int i = 0;
        for (Map.Entry<String, ? extends JsonValue> e : fields.entrySet()) {
            names[i] = Objects.requireNonNull(e.getKey(), "name");
            values[i++] = Objects.requireNonNull(e.getValue(), e.getKey());
        }
        return new JsonObject(names, values, i);
    }

    /** Wraps a map the caller promises never to change again. */
    static JsonObject wrap(LinkedHashMap<String, JsonValue> fields) {
        return of(fields);
    }

    /**
     * Wraps arrays the caller promises never to change again (used by the parser); the first
     * {@code size} entries count.
     *
     * @throws IllegalArgumentException when a name occurs twice
     */
    static JsonObject wrap(String[] names, JsonValue[] values, int size) {
        if (size == 0) {
            return EMPTY;
        }
        JsonObject object = new JsonObject(names, values, size); // a larger object's index refuses duplicates
        if (size <= SCAN_LIMIT) {
            for (int i = 1; i < size; i++) {
                for (int j = 0; j < i; j++) {
                    if (object.hashes[i] == object.hashes[j] && names[i].equals(names[j])) {
                        throw new IllegalArgumentException("duplicate field");
                    }
                }
            }
        }
        return object;
    }

    private static int[] buildIndex(String[] names, int[] hashes, int size) {
        int[] table = new int[Integer.highestOneBit(size * 2 - 1) << 1];
        int mask = table.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = spread(hashes[i]) & mask;
            while (table[slot] != 0) {
                if (names[table[slot] - 1].equals(names[i])) {
                    throw new IllegalArgumentException("duplicate field");
                }
                slot = (slot + 1) & mask;
            }
            table[slot] = i + 1;
        }
        return table;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private int indexOf(Object name) {
        if (size < 0) {
            return contents().indexOf(name);
        }
        int[] table = index;
        int hash = name.hashCode();
        if (table == null) {
            for (int i = 0; i < size; i++) {
                if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                    return i;
                }
            }
            return -1;
        }
        int mask = table.length - 1;
        int slot = spread(hash) & mask;
        int at;
        while ((at = table[slot]) != 0) {
            if (hashes[at - 1] == hash && names[at - 1].equals(name)) {
                return at - 1;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    public @Nullable JsonValue get(String name) {
        if (size < 0) {
            return contents().get(name);
        }
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    public @Nullable String string(String name) {
        return get(name) instanceof JsonString s ? s.value() : null;
    }

    public @Nullable BigDecimal number(String name) {
        return get(name) instanceof JsonNumber n ? n.value() : null;
    }

    public @Nullable Boolean bool(String name) {
        return get(name) instanceof JsonBoolean b ? b.value() : null;
    }

    public @Nullable JsonObject object(String name) {
        return get(name) instanceof JsonObject o ? o : null;
    }

    public @Nullable JsonArray array(String name) {
        return get(name) instanceof JsonArray a ? a : null;
    }

    /** The field names, in document order. */
    public Set<String> names() {
        return fields().keySet();
    }

    /** The fields, unmodifiable, in document order (a view: nothing is copied). */
    public Map<String, JsonValue> fields() {
        return size < 0 ? contents().fields() : new FieldsView();
    }

    public int size() {
        return size < 0 ? contents().size : size;
    }

    /**
     * The name of the field at {@code index} (from 0 to {@link #size()} - 1), in document order: for walks over
     * the fields that need no map view.
     *
     * @throws IndexOutOfBoundsException when there is no field at {@code index}
     */
    public String nameAt(int index) {
        Objects.checkIndex(index, size());
        return size < 0 ? contents().names[index] : names[index];
    }

    /**
     * The value of the field at {@code index} (from 0 to {@link #size()} - 1), in document order.
     *
     * @throws IndexOutOfBoundsException when there is no field at {@code index}
     */
    public JsonValue valueAt(int index) {
        Objects.checkIndex(index, size());
        return size < 0 ? contents().values[index] : values[index];
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** This object without the field {@code name} (this object itself when it has no such field). */
    public JsonObject without(String name) {
        if (size < 0) {
            JsonObject all = contents();
            JsonObject rest = all.without(name);
            return rest == all ? this : rest;
        }
        int at = indexOf(name);
        if (at < 0) {
            return this;
        }
        String[] n = new String[size - 1];
        JsonValue[] v = new JsonValue[size - 1];
        System.arraycopy(names, 0, n, 0, at);
        System.arraycopy(values, 0, v, 0, at);
        System.arraycopy(names, at + 1, n, at, size - at - 1);
        System.arraycopy(values, at + 1, v, at, size - at - 1);
        if (n.length == 0) {
            return EMPTY;
        }
        // The hashes are copied too: recomputing them reads every name again (Salesforce drops
        // attributes from every row).
        int[] h = new int[size - 1];
        System.arraycopy(hashes, 0, h, 0, at);
        System.arraycopy(hashes, at + 1, h, at, size - at - 1);
        return new JsonObject(n, v, h, n.length);
    }

    /** A builder that starts with this object's fields. */
    public Builder newBuilder() {
        if (size < 0) {
            return contents().newBuilder();
        }
        Builder b = new Builder(1);
        b.names = Arrays.copyOf(names, Math.max(size + 4, 8));
        b.values = Arrays.copyOf(values, b.names.length);
        b.hashes = Arrays.copyOf(hashes, b.names.length);
        b.size = size;
        b.table = size > SCAN_LIMIT ? buildIndex(b.names, b.hashes, size) : null;
        return b;
    }

    @Override
    public Type type() {
        return Type.OBJECT;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (!(o instanceof JsonObject given)) {
            return false;
        }
        if (size < 0) {
            return contents().equals(given);
        }
        JsonObject other = given.size < 0 ? given.contents() : given;
        if (other.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!values[i].equals(other.get(names[i]))) {
                return false;
            }
        }
        return true;
    }

    /** The hash a {@link Map} with these entries has. */
    @Override
    public int hashCode() {
        if (size < 0) {
            return contents().hashCode();
        }
        int h = 0;
        for (int i = 0; i < size; i++) {
            h += names[i].hashCode() ^ values[i].hashCode();
        }
        return h;
    }

    @Override
    public String toString() {
        return toJson();
    }

    public static Builder builder() {
        return new Builder(8);
    }

    /** A builder with room for {@code expectedFields} fields before it grows. */
    public static Builder builder(int expectedFields) {
        return new Builder(Math.max(expectedFields, 1));
    }

    /**
     * Field names, checked once, for building many objects with exactly these fields in this order (the rows of
     * one result): {@link #object} makes each without the lookups a {@link Builder} does per field, and the
     * objects share the names. Immutable and thread-safe.
     */
    public static final class Shape {
        private final String[] names;
        private final int[] hashes;

        private Shape(String[] names) {
            this.names = names;
            this.hashes = hashesOf(names, names.length);
        }

        /** The names, in order. */
        public List<String> names() {
            return List.of(names);
        }

        /**
         * An object with the shape's fields, {@code values[i]} the value of the i-th name. The array is copied.
         *
         * @throws IllegalArgumentException when there are not as many values as names
         * @throws NullPointerException when a value is null (JSON null is {@link JsonNull#INSTANCE})
         */
        public JsonObject object(JsonValue... values) {
            if (values.length != names.length) {
                throw new IllegalArgumentException(
                        "the shape has " + names.length + " fields; " + values.length + " values given");
            }
            JsonValue[] copy = values.clone();
            for (int i = 0; i < copy.length; i++) {
                Objects.requireNonNull(copy[i], names[i]);
            }
            return copy.length == 0 ? EMPTY : new JsonObject(names, copy, hashes, copy.length);
        }
    }

    /**
     * The shape of objects with these fields, in this order.
     *
     * @throws IllegalArgumentException when a name occurs twice
     * @throws NullPointerException when a name is null
     */
    public static Shape shape(List<String> names) {
        String[] n = names.toArray(new String[0]);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String name : n) {
            if (!seen.add(Objects.requireNonNull(name, "name"))) {
                throw new IllegalArgumentException("field '" + name + "' occurs twice");
            }
        }
        return new Shape(n);
    }

    /** The fields as an unmodifiable map over the arrays. */
    private final class FieldsView extends AbstractMap<String, JsonValue> {
        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String && indexOf(key) >= 0;
        }

        @Override
        public @Nullable JsonValue get(Object key) {
            if (!(key instanceof String)) {
                return null;
            }
            int i = indexOf(key);
            return i < 0 ? null : values[i];
        }

        @Override
        public Set<Map.Entry<String, JsonValue>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public int size() {
                    return size;
                }

                @Override
                public Iterator<Map.Entry<String, JsonValue>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Map.Entry<String, JsonValue> next() {
                            if (next >= size) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
                        }
                    };
                }
            };
        }

        @Override
        public void forEach(java.util.function.BiConsumer<? super String, ? super JsonValue> action) {
            for (int i = 0; i < size; i++) {
                action.accept(names[i], values[i]);
            }
        }
    }

    /** Builds an object field by field; a later value for the same name replaces the earlier one. */
    public static final class Builder {
        private String[] names;
        private JsonValue[] values;
        // The names' hashes side by side, handed to the built object with the arrays.
        private int[] hashes;
        private int size;
        // After build() the arrays belong to the built object; a later change works on a copy.
        private boolean shared;
        // Open addressing (position + 1 by spread hash), kept once the fields outgrow a scan: a record
        // built field by field would otherwise cost a scan per field, quadratic in its fields.
        private int @Nullable [] table;

        private Builder(int capacity) {
            names = new String[capacity];
            values = new JsonValue[capacity];
            hashes = new int[capacity];
        }

        private void own(int capacity) {
            if (shared || capacity > names.length) {
                int length = Math.max(capacity, shared ? names.length : names.length * 2);
                names = Arrays.copyOf(names, length);
                values = Arrays.copyOf(values, length);
                hashes = Arrays.copyOf(hashes, length);
                shared = false;
            }
        }

        private int find(String name, int hash) {
            int[] t = table;
            if (t == null) {
                for (int i = 0; i < size; i++) {
                    if (hashes[i] == hash && (names[i] == name || names[i].equals(name))) {
                        return i;
                    }
                }
                return -1;
            }
            int mask = t.length - 1;
            int at;
            for (int slot = spread(hash) & mask; (at = t[slot]) != 0; slot = (slot + 1) & mask) {
                if (hashes[at - 1] == hash && names[at - 1].equals(name)) {
                    return at - 1;
                }
            }
            return -1;
        }

        /** Keeps {@link #table} in step after the field at {@code position} was appended. */
        private void indexAppended(int position) {
            if (size <= SCAN_LIMIT) {
                return;
            }
            int[] t = table;
            if (t == null || size * 2 > t.length) {
                table = buildIndex(names, hashes, size); // also places the appended field
                return;
            }
            int mask = t.length - 1;
            int slot = spread(hashes[position]) & mask;
            while (t[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            t[slot] = position + 1;
        }

        public Builder put(String name, JsonValue value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, name);
            int hash = name.hashCode();
            int i = find(name, hash);
            own(i < 0 ? size + 1 : size);
            if (i < 0) {
                names[size] = name;
                hashes[size] = hash;
                values[size++] = value;
                indexAppended(size - 1);
            } else {
                values[i] = value;
            }
            return this;
        }

        public Builder put(String name, @Nullable String value) {
            return put(name, value == null ? JsonNull.INSTANCE : new JsonString(value));
        }

        public Builder put(String name, long value) {
            return put(name, JsonNumber.of(value));
        }

        public Builder put(String name, boolean value) {
            return put(name, JsonBoolean.of(value));
        }

        public Builder remove(String name) {
            int i = find(name, name.hashCode());
            if (i >= 0) {
                own(size);
                System.arraycopy(names, i + 1, names, i, size - i - 1);
                System.arraycopy(values, i + 1, values, i, size - i - 1);
                System.arraycopy(hashes, i + 1, hashes, i, size - i - 1);
                size--;
                names[size] = null;
                values[size] = null;
                table = size > SCAN_LIMIT ? buildIndex(names, hashes, size) : null;
            }
            return this;
        }

        /** The object; building again, or after more changes, gives another object and leaves this one unchanged. */
        public JsonObject build() {
            if (size == 0) {
                return EMPTY;
            }
            shared = true;
            return new JsonObject(names, values, hashes, size);
        }
    }
}
