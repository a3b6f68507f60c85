package dev.switchboard.core.json;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
  private static final JsonObject EMPTY = new JsonObject(Map.of());

  private final Map<String, JsonValue> fields;

  private JsonObject(Map<String, JsonValue> fields) {
    this.fields = fields;
  }

  public static JsonObject empty() {
    return EMPTY;
  }

  /** An object with these fields, in the map's iteration order; the map is copied. */
  public static JsonObject of(Map<String, ? extends JsonValue> fields) {
    if (fields.isEmpty()) {
      return EMPTY;
    }
    LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>(fields.size() * 2);
    fields.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, k)));
    return new JsonObject(Collections.unmodifiableMap(copy));
  }

  /** Wraps a map the caller promises never to change again (used by the parser). */
  static JsonObject wrap(LinkedHashMap<String, JsonValue> fields) {
    return fields.isEmpty() ? EMPTY : new JsonObject(Collections.unmodifiableMap(fields));
  }

  public @Nullable JsonValue get(String name) {
    return fields.get(name);
  }

  public boolean has(String name) {
    return fields.containsKey(name);
  }

  public @Nullable String string(String name) {
    return fields.get(name) instanceof JsonString s ? s.value() : null;
  }

  public @Nullable BigDecimal number(String name) {
    return fields.get(name) instanceof JsonNumber n ? n.value() : null;
  }

  public @Nullable Boolean bool(String name) {
    return fields.get(name) instanceof JsonBoolean b ? b.value() : null;
  }

  public @Nullable JsonObject object(String name) {
    return fields.get(name) instanceof JsonObject o ? o : null;
  }

  public @Nullable JsonArray array(String name) {
    return fields.get(name) instanceof JsonArray a ? a : null;
  }

  /** The field names, in document order. */
  public Set<String> names() {
    return fields.keySet();
  }

  /** The fields, unmodifiable, in document order. */
  public Map<String, JsonValue> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public boolean isEmpty() {
    return fields.isEmpty();
  }

  /** A builder that starts with this object's fields. */
  public Builder newBuilder() {
    Builder b = new Builder();
    b.fields = new LinkedHashMap<>(fields);
    return b;
  }

  @Override
  public Type type() {
    return Type.OBJECT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonObject other && fields.equals(other.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an object field by field; a later value for the same name replaces the earlier one. */
  public static final class Builder {
    private LinkedHashMap<String, JsonValue> fields = new LinkedHashMap<>();
    // After build() the map belongs to the built object; a later change works on a copy.
    private boolean shared;

    private LinkedHashMap<String, JsonValue> fields() {
      if (shared) {
        fields = new LinkedHashMap<>(fields);
        shared = false;
      }
      return fields;
    }

    public Builder put(String name, JsonValue value) {
      fields().put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
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
      fields().remove(name);
      return this;
    }

    /** The object; building again, or after more changes, gives another object and leaves this one unchanged. */
    public JsonObject build() {
      shared = true;
      return wrap(fields);
    }
  }
}
