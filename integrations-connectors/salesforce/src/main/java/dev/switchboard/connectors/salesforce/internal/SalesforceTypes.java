package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import java.util.Locale;

/** Salesforce field types (describe's {@code type}) as the types a stream promises. */
public final class SalesforceTypes {
  private SalesforceTypes() {}

  /** The promised type of a describe field type; unknown types promise presence only. */
  public static FieldType fieldType(String salesforceType) {
    return switch (salesforceType.toLowerCase(Locale.ROOT)) {
      case "id", "string", "picklist", "multipicklist", "combobox", "reference", "textarea", "email", "phone", "url",
          "encryptedstring", "base64", "time" -> FieldType.STRING;
      case "boolean" -> FieldType.BOOLEAN;
      case "int", "long" -> FieldType.INTEGER;
      case "double", "currency", "percent" -> FieldType.NUMBER;
      case "date" -> FieldType.DATE;
      case "datetime" -> FieldType.TIMESTAMP;
      case "address", "location" -> FieldType.OBJECT;
      default -> FieldType.ANY;
    };
  }

  /**
   * The schema a describe answer shows ({@code /sobjects/{Object}/describe}). SOQL returns every
   * field it selects (null when empty), so each field is present; {@code nillable} says whether it
   * may be null.
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
        b.add(new Schema.Field(f.string("name"), fieldType(f.string("type")), nillable == null || nillable, true));
      }
    }
    return b.build();
  }
}
