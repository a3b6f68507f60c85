package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Salesforce field types (describe's {@code type}) as the types a stream promises. */
public final class SalesforceTypes {
    private SalesforceTypes() {}

    /** The promised type of a describe field type; unknown types promise presence only. */
    public static FieldType fieldType(String salesforceType) {
        return switch (salesforceType.toLowerCase(Locale.ROOT)) {
            case "id",
                    "string",
                    "picklist",
                    "multipicklist",
                    "combobox",
                    "reference",
                    "textarea",
                    "email",
                    "phone",
                    "url",
                    "encryptedstring",
                    "base64",
                    "time" -> FieldType.STRING;
            case "boolean" -> FieldType.BOOLEAN;
            case "int", "long" -> FieldType.INTEGER;
            case "double", "currency", "percent" -> FieldType.NUMBER;
            case "date" -> FieldType.DATE;
            case "datetime" -> FieldType.TIMESTAMP;
            case "address", "location" -> FieldType.OBJECT;
            default -> FieldType.ANY;
        };
    }

    private static Set<String> activeValues(@Nullable JsonArray picklist) {
        Set<String> values = new LinkedHashSet<>();
        if (picklist != null) {
            for (JsonValue v : picklist) {
                if (v instanceof JsonObject p && !Boolean.FALSE.equals(p.bool("active")) && p.string("value") != null) {
                    values.add(p.string("value"));
                }
            }
        }
        return values;
    }

    /**
     * The schema a describe answer shows ({@code /sobjects/{Object}/describe}). SOQL returns every
     * field it selects (null when empty), so each field is present; {@code nillable} says whether it
     * may be null. A {@code picklist} field promises its active {@code picklistValues} (multi-select
     * and combobox fields take other text too, so they promise none).
     */
    public static Schema schemaOf(JsonObject describe) {
        Schema.Builder b = Schema.builder();
        JsonArray fields = describe.array("fields");
        if (fields == null) {
            throw new IllegalArgumentException("a describe answer without 'fields'");
        }
        for (JsonValue v : fields) {
            if (v instanceof JsonObject f && f.string("name") != null && f.string("type") != null) {
                Boolean nillable = f.bool("nillable");
                b.add(new Schema.Field(
                        f.string("name"),
                        fieldType(f.string("type")),
                        nillable == null || nillable,
                        true,
                        "picklist".equalsIgnoreCase(f.string("type"))
                                ? activeValues(f.array("picklistValues"))
                                : Set.of()));
            }
        }
        return b.build();
    }
}
