package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A schema survives its contract file form, as JSON value, as text and as a file, whatever its fields. */
class SchemaJsonPropertiesTest {
    // Any Unicode text in names and values (control characters, quotes, astral planes), empty strings
    // included; a lone surrogate is not text (UTF-8 cannot carry it), so none is generated.
    private static Arbitrary<String> text() {
        return Arbitraries.integers()
                .between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list()
                .ofMaxSize(12)
                .map(cps -> cps.stream()
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
    }

    @Provide
    Arbitrary<Schema> schemas() {
        Arbitrary<String> text = text();
        Arbitrary<Set<String>> values = text.set().ofMaxSize(4);
        Arbitrary<Schema.Field> field = Combinators.combine(
                        text,
                        Arbitraries.of(FieldType.class),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        values)
                .as(Schema.Field::new);
        return field.list().ofMaxSize(12).uniqueElements(Schema.Field::name).map(fields -> {
            Schema.Builder b = Schema.builder();
            fields.forEach(b::add);
            return b.build();
        });
    }

    @Provide
    Arbitrary<Schema> nestedSchemas() {
        return Contracts.schemas(text(), text().set().ofMaxSize(4), 2);
    }

    @Property(tries = 300)
    void nestedFieldsRoundTripToo(@ForAll("nestedSchemas") Schema schema) throws Exception {
        JsonObject json = schema.toJson();
        assertThat(Schema.fromJson((JsonObject) Json.parse(Json.write(json)))).isEqualTo(schema);
        Path dir = Files.createTempDirectory("contracts");
        try {
            Path file = dir.resolve("Order.json");
            schema.write(file);
            assertThat(Schema.load(file)).isEqualTo(schema);
            // still one top-level field per line, its nested fields on that line
            assertThat(Files.readAllLines(file))
                    .hasSize(schema.fields().isEmpty() ? 1 : schema.fields().size() + 2);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 500)
    void theJsonFormRoundTrips(@ForAll("schemas") Schema schema) {
        JsonObject json = schema.toJson();
        Schema back = Schema.fromJson((JsonObject) Json.parse(Json.write(json)));

        assertThat(back).isEqualTo(schema);
        assertThat(back.fields())
                .extracting(Schema.Field::name)
                .containsExactlyElementsOf(
                        schema.fields().stream().map(Schema.Field::name).toList()); // declaration order too
        assertThat(back.toJson()).isEqualTo(json);
    }

    @Property(tries = 100)
    void theFileFormRoundTrips(@ForAll("schemas") Schema schema) throws Exception {
        Path dir = Files.createTempDirectory("contracts");
        try {
            Path file = dir.resolve("salesforce").resolve("Account.json");
            schema.write(file);
            assertThat(Schema.load(file)).isEqualTo(schema);
            // one field per line, so a changed field is a one-line diff
            assertThat(Files.readAllLines(file))
                    .hasSize(schema.fields().isEmpty() ? 1 : schema.fields().size() + 2);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 200)
    void observedSchemasRoundTripToo(@ForAll("schemas") Schema schema) {
        // A schema observed from its own JSON form's field objects: any shape Schema.observe makes is writable.
        List<JsonObject> samples = schema.toJson().array("fields").stream()
                .map(v -> (JsonObject) v)
                .toList();
        Schema observed = Schema.observe(samples);
        assertThat(Schema.fromJson(observed.toJson())).isEqualTo(observed);
    }
}
