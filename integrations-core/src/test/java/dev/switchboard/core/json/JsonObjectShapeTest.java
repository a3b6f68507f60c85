package dev.switchboard.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JsonObject.Shape}: objects made from a shape are the objects a builder makes from the same fields. */
class JsonObjectShapeTest {

    @Test
    void anObjectOfAShapeIsTheObjectABuilderMakes() {
        for (int size : new int[] {0, 1, 8, 16, 17, 40}) {
            List<String> names = new ArrayList<>();
            JsonValue[] values = new JsonValue[size];
            JsonObject.Builder built = JsonObject.builder();
            for (int i = 0; i < size; i++) {
                names.add("c" + i);
                values[i] = i % 3 == 0 ? JsonNull.INSTANCE : JsonNumber.of(i);
                built.put("c" + i, values[i]);
            }
            JsonObject.Shape shape = JsonObject.shape(names);
            JsonObject object = shape.object(values);
            JsonObject expected = built.build();
            assertThat(object).isEqualTo(expected);
            assertThat(expected).isEqualTo(object);
            assertThat(object.hashCode()).isEqualTo(expected.hashCode());
            assertThat(object.toJson()).isEqualTo(expected.toJson());
            assertThat(List.copyOf(object.names())).isEqualTo(names);
            assertThat(shape.names()).isEqualTo(names);
            for (int i = 0; i < size; i++) {
                assertThat(object.get("c" + i)).as("c%d of %d", i, size).isSameAs(values[i]);
                assertThat(object.nameAt(i)).isEqualTo("c" + i);
            }
            assertThat(object.get("absent")).isNull();
        }
    }

    @Test
    void theValuesAreCopiedSoTheCallerMayReuseItsArray() {
        JsonObject.Shape shape = JsonObject.shape(List.of("a", "b"));
        JsonValue[] values = {new JsonString("one"), new JsonString("two")};
        JsonObject first = shape.object(values);
        values[0] = new JsonString("changed");
        JsonObject second = shape.object(values);
        assertThat(first.string("a")).isEqualTo("one");
        assertThat(second.string("a")).isEqualTo("changed");
        assertThat(first.newBuilder().put("a", "x").build().string("a")).isEqualTo("x");
        assertThat(second.string("a")).isEqualTo("changed"); // a builder from one object leaves the others alone
    }

    @Test
    void badShapesAndValuesAreRefused() {
        assertThatThrownBy(() -> JsonObject.shape(List.of("id", "name", "id")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'id' occurs twice");
        JsonObject.Shape shape = JsonObject.shape(List.of("id", "name"));
        assertThatThrownBy(() -> shape.object(JsonNumber.of(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the shape has 2 fields; 1 values given");
        assertThatThrownBy(() -> shape.object(JsonNumber.of(1), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("name");
    }
}
