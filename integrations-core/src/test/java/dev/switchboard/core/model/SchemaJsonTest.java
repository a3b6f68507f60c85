package dev.switchboard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract file format: what it reads, its defaults, and errors that say what to fix. */
class SchemaJsonTest {
    private static Schema parse(String json) {
        return Schema.fromJson((JsonObject) Json.parse(json));
    }

    @Test
    void aHandWrittenFileReadsWithDefaults() {
        Schema schema = parse("""
        {"description": "Account as our org has it",
         "fields": [
          {"name": "Id", "type": "STRING", "nullable": false, "required": true},
          {"name": "AnnualRevenue", "type": "number"},
          {"name": "Rating", "type": "String", "values": ["Hot", "Warm", "Cold"]}
        ]}""");

        assertThat(schema)
                .isEqualTo(Schema.builder()
                        .required("Id", FieldType.STRING)
                        .optional("AnnualRevenue", FieldType.NUMBER)
                        .optionalEnum("Rating", List.of("Hot", "Warm", "Cold"))
                        .build());
        assertThat(schema.toJson().array("fields").get(2))
                .isEqualTo(
                        Json.parse(
                                "{\"name\":\"Rating\",\"type\":\"STRING\",\"nullable\":true,\"required\":false,\"values\":[\"Hot\",\"Warm\",\"Cold\"]}"));
    }

    @Test
    void errorsNameTheFieldAndWhatToFix() {
        assertThatThrownBy(() -> parse("{\"feilds\": []}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "contract: the top level has the unknown key \"feilds\"; the keys are [fields, description]");
        assertThatThrownBy(() -> parse("{}")).hasMessageContaining("needs a top-level \"fields\" array");
        assertThatThrownBy(
                        () -> parse(
                                "{\"fields\": [{\"name\": \"Id\", \"type\": \"STRING\"}, {\"name\": \"Amount\", \"type\": \"money\"}]}"))
                .hasMessage("contract: fields[1] ('Amount'): \"type\" 'money' is not a type; use one of "
                        + "[STRING, INTEGER, NUMBER, BOOLEAN, TIMESTAMP, DATE, OBJECT, ARRAY, ANY]");
        assertThatThrownBy(() -> parse("{\"fields\": [{\"name\": \"Id\"}]}"))
                .hasMessageStartingWith("contract: fields[0] ('Id') needs a \"type\" string");
        assertThatThrownBy(() -> parse("{\"fields\": [{\"type\": \"STRING\"}]}"))
                .hasMessage("contract: fields[0] needs a \"name\" string");
        assertThatThrownBy(
                        () -> parse("{\"fields\": [{\"name\": \"Id\", \"type\": \"STRING\", \"nullable\": \"no\"}]}"))
                .hasMessage(
                        "contract: fields[0] ('Id'): \"nullable\" must be true or false, not STRING (absent means true)");
        assertThatThrownBy(() -> parse("{\"fields\": [{\"name\": \"Id\", \"type\": \"STRING\", \"typ\": 1}]}"))
                .hasMessageContaining("fields[0] ('Id') has the unknown key \"typ\"");
        assertThatThrownBy(
                        () -> parse("{\"fields\": [{\"name\": \"S\", \"type\": \"STRING\", \"values\": [\"a\", 2]}]}"))
                .hasMessageContaining("fields[0] ('S'): \"values\" must hold strings only")
                .hasMessageContaining("NUMBER");
        assertThatThrownBy(
                        () -> parse(
                                "{\"fields\": [{\"name\": \"Id\", \"type\": \"STRING\"}, {\"name\": \"Id\", \"type\": \"INTEGER\"}]}"))
                .hasMessage("contract: fields[1] ('Id') is declared twice; keep one declaration of the field");
        assertThatThrownBy(() -> parse("{\"fields\": [\"Id\"]}"))
                .hasMessageContaining("fields[0] is STRING; each field is an object");
    }

    @Test
    void loadingNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Account.json");
        assertThatThrownBy(() -> Schema.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": cannot read the contract file (NoSuchFileException)");
        Files.writeString(file, "{\"fields\": [");
        assertThatThrownBy(() -> Schema.load(file)).hasMessageStartingWith(file + ": not valid JSON");
        Files.writeString(file, "[]");
        assertThatThrownBy(() -> Schema.load(file)).hasMessageStartingWith(file + ": is a JSON ARRAY");
        Files.writeString(file, "{\"fields\": [{\"name\": \"Ünïcode ✓\", \"type\": \"bool\"}]}");
        assertThatThrownBy(() -> Schema.load(file))
                .hasMessageStartingWith(file + ": fields[0] ('Ünïcode ✓'): \"type\" 'bool'");
    }

    @Test
    void writtenFilesHoldOneFieldPerLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("contracts/hubspot/tickets.json");
        Schema schema = Schema.builder()
                .required("id", FieldType.STRING)
                .optionalEnum("hs_ticket_priority", List.of("HIGH", "LOW"))
                .build();
        schema.write(file);
        assertThat(Files.readString(file)).isEqualTo("""
        {"fields": [
          {"name":"id","type":"STRING","nullable":false,"required":true},
          {"name":"hs_ticket_priority","type":"STRING","nullable":true,"required":false,"values":["HIGH","LOW"]}
        ]}
        """);
        assertThat(Schema.load(file)).isEqualTo(schema);
        Schema.empty().write(file);
        assertThat(Files.readString(file)).isEqualTo("{\"fields\": []}\n");
        assertThat(Schema.load(file)).isEqualTo(Schema.empty());
    }
}
