package dev.switchboard.core.model;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Random contracts, nested to a depth, and records made to keep them or to stray from them. */
final class Contracts {
    static final List<String> NAMES = List.of("id", "name", "price", "status", "extra");
    private static final List<String> STRINGS = List.of("a", "b", "z", "", "2026-01-01", "2026-01-01T10:00:00Z");

    private Contracts() {}

    /** Contracts whose fields are named from {@code names}, nested up to {@code depth} levels. */
    static Arbitrary<Schema> schemas(Arbitrary<String> names, Arbitrary<Set<String>> values, int depth) {
        return field(names, values, depth)
                .list()
                .ofMaxSize(5)
                .uniqueElements(Schema.Field::name)
                .map(fields -> {
                    Schema.Builder b = Schema.builder();
                    fields.forEach(b::add);
                    return b.build();
                });
    }

    private static Arbitrary<Schema.Field> field(Arbitrary<String> names, Arbitrary<Set<String>> values, int depth) {
        Arbitrary<Schema.Field> flat = Combinators.combine(
                        names,
                        Arbitraries.of(FieldType.class),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        values)
                .as(Schema.Field::new);
        if (depth == 0) {
            return flat;
        }
        Arbitrary<Schema.Field> object = Combinators.combine(flat, schemas(names, values, depth - 1))
                .as((f, properties) -> new Schema.Field(
                        f.name(), FieldType.OBJECT, f.nullable(), f.required(), f.values(), properties, null));
        Arbitrary<Schema.Field> array = Combinators.combine(flat, field(names, values, depth - 1))
                .as((f, items) -> new Schema.Field(
                        f.name(), FieldType.ARRAY, f.nullable(), f.required(), f.values(), null, items));
        return Arbitraries.frequencyOf(Tuple.of(3, flat), Tuple.of(1, object), Tuple.of(1, array));
    }

    /** A record that keeps {@code contract}: no breaking drift, perhaps an added field. */
    static JsonObject keeping(Schema contract, Random random) {
        JsonObject.Builder b = JsonObject.builder();
        for (Schema.Field f : contract.fields()) {
            if (f.required() || random.nextInt(3) > 0) {
                b.put(f.name(), keeping(f, random));
            }
        }
        if (random.nextInt(4) == 0 && contract.field("added").isEmpty()) {
            b.put("added", any(random, 1));
        }
        return b.build();
    }

    private static JsonValue keeping(Schema.Field f, Random random) {
        if (f.nullable() && random.nextInt(4) == 0) {
            return JsonNull.INSTANCE;
        }
        // An enumerated field's string values must be listed ones; for ANY, only strings are held to the list.
        boolean stringsOnly =
                f.type() == FieldType.STRING || f.type() == FieldType.TIMESTAMP || f.type() == FieldType.DATE;
        if (f.enumerated() && (stringsOnly || (f.type() == FieldType.ANY && random.nextBoolean()))) {
            return new JsonString(pick(List.copyOf(f.values()), random));
        }
        return switch (f.type()) {
            case STRING -> new JsonString(pick(STRINGS, random));
            case TIMESTAMP ->
                new JsonString("2026-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10) + "T0"
                        + random.nextInt(10) + ":30:00Z");
            case DATE -> new JsonString("2026-1" + random.nextInt(3) + "-0" + (1 + random.nextInt(9)));
            case INTEGER ->
                new JsonNumber(
                        random.nextBoolean()
                                ? BigDecimal.valueOf(random.nextInt(2001) - 1000)
                                : new BigDecimal(random.nextInt(100) + ".00"));
            case NUMBER -> new JsonNumber(BigDecimal.valueOf(random.nextLong() % 100000, random.nextInt(5)));
            case BOOLEAN -> JsonBoolean.of(random.nextBoolean());
            case OBJECT -> f.properties() == null ? object(random, 1) : keeping(f.properties(), random);
            case ARRAY -> {
                List<JsonValue> elements = new ArrayList<>();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    elements.add(f.items() == null ? any(random, 1) : keeping(f.items(), random));
                }
                yield JsonArray.of(elements);
            }
            case ANY -> {
                JsonValue v = any(random, 1);
                yield v == JsonNull.INSTANCE || (f.enumerated() && v instanceof JsonString) ? JsonBoolean.TRUE : v;
            }
        };
    }

    /** {@code record} with, here and there at any depth, a value replaced, nulled, dropped or added. */
    static JsonObject stray(JsonObject record, Random random) {
        return (JsonObject) stray(record, random, true);
    }

    private static JsonValue stray(JsonValue value, Random random, boolean top) {
        if (!top && random.nextInt(8) == 0) {
            return any(random, 2);
        }
        if (value instanceof JsonObject o) {
            JsonObject.Builder b = JsonObject.builder();
            for (String name : o.names()) {
                if (random.nextInt(8) > 0) {
                    b.put(name, stray(o.get(name), random, false));
                }
            }
            if (random.nextInt(8) == 0) {
                b.put(pick(NAMES, random), any(random, 1));
            }
            return b.build();
        }
        if (value instanceof JsonArray a) {
            List<JsonValue> elements = new ArrayList<>();
            a.forEach(e -> elements.add(stray(e, random, false)));
            return JsonArray.of(elements);
        }
        return value;
    }

    /** Any JSON value, containers up to {@code depth} deep. */
    static JsonValue any(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> JsonNull.INSTANCE;
            case 1 -> JsonBoolean.of(random.nextBoolean());
            case 2 -> JsonNumber.of(random.nextInt(10));
            case 3 -> new JsonNumber(new BigDecimal("2.5"));
            case 4, 5 -> new JsonString(pick(STRINGS, random));
            case 6 -> object(random, depth - 1);
            default -> {
                List<JsonValue> elements = new ArrayList<>();
                int n = random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    elements.add(any(random, depth - 1));
                }
                yield JsonArray.of(elements);
            }
        };
    }

    private static JsonObject object(Random random, int depth) {
        JsonObject.Builder b = JsonObject.builder();
        int n = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            b.put(pick(NAMES, random), any(random, depth));
        }
        return b.build();
    }

    private static <T> T pick(List<T> from, Random random) {
        return from.get(random.nextInt(from.size()));
    }
}
