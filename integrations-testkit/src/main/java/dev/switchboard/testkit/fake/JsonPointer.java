package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Replaces or removes one value of an immutable JSON document at a JSON Pointer (RFC 6901), by
 * rebuilding the containers on the way down. Used to alter recorded answers.
 */
final class JsonPointer {
    private JsonPointer() {}

    /**
     * {@code root} with the value at {@code pointer} replaced (or added as a new object member, or
     * appended to an array when the pointer ends with {@code -}).
     */
    static JsonValue set(JsonValue root, String pointer, JsonValue value) {
        return apply(root, tokens(pointer), 0, pointer, value);
    }

    /** {@code root} without the value at {@code pointer}. */
    static JsonValue remove(JsonValue root, String pointer) {
        return apply(root, tokens(pointer), 0, pointer, null);
    }

    private static List<String> tokens(String pointer) {
        if (!pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON Pointer starts with '/': " + pointer);
        }
        List<String> out = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            out.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    /** With {@code value} null, removes. */
    private static JsonValue apply(
            JsonValue node, List<String> tokens, int at, String pointer, @Nullable JsonValue value) {
        String token = tokens.get(at);
        boolean last = at == tokens.size() - 1;
        if (node instanceof JsonObject o) {
            JsonValue child = o.get(token);
            if (last) {
                if (value == null) {
                    requireFound(child != null, pointer);
                    return o.without(token);
                }
                return o.newBuilder().put(token, value).build();
            }
            if (child == null) {
                throw notFound(pointer);
            }
            return o.newBuilder()
                    .put(token, apply(child, tokens, at + 1, pointer, value))
                    .build();
        }
        if (node instanceof JsonArray a) {
            if (token.equals("-") && last && value != null) {
                // RFC 6901's "-": the element after the last, i.e. append.
                List<JsonValue> elements = new ArrayList<>(a.elements());
                elements.add(value);
                return JsonArray.of(elements);
            }
            int index;
            try {
                index = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "JSON Pointer " + pointer + ": '" + token + "' is not an array index", e);
            }
            requireFound(index >= 0 && index < a.size(), pointer);
            List<JsonValue> elements = new ArrayList<>(a.elements());
            if (last && value == null) {
                elements.remove(index);
            } else {
                elements.set(index, last ? value : apply(a.get(index), tokens, at + 1, pointer, value));
            }
            return JsonArray.of(elements);
        }
        throw new IllegalArgumentException("JSON Pointer " + pointer + ": '" + token + "' is inside a " + node.type()
                + ", not an object or array");
    }

    private static void requireFound(boolean found, String pointer) {
        if (!found) {
            throw notFound(pointer);
        }
    }

    private static IllegalArgumentException notFound(String pointer) {
        return new IllegalArgumentException("JSON Pointer " + pointer + " names nothing in the document");
    }
}
