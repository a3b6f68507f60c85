package dev.switchboard.normalize.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.normalize.Address;
import dev.switchboard.normalize.Attachment;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.ContactKind;
import dev.switchboard.normalize.ContactPoint;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.ExternalId;
import dev.switchboard.normalize.Field;
import dev.switchboard.normalize.Money;
import dev.switchboard.normalize.Origin;
import dev.switchboard.normalize.Phone;
import dev.switchboard.normalize.PipelineStage;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Stage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Value;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What {@code EntityJson} does, with Jackson, which stays out of the API package: an entity as JSON text and back.
 * See {@code dev.switchboard.normalize.EntityJson} for the format's guarantees. Thread-safe; no state.
 */
public final class EntityJsonCodec {
    /** The format version written; {@link #read} reads this one and older. */
    public static final int FORMAT = 1;

    /** Makes an entity's builder with its origin (which the API package alone can do). */
    @FunctionalInterface
    public interface Builders {
        Entity.Builder builder(EntityType type, Record raw, Origin origin);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PACKAGE = Entity.class.getPackageName() + ".";

    private EntityJsonCodec() {}

    /**
     * The entity as JSON, without its raw record's data.
     *
     * @throws IllegalArgumentException when a value is of a class this codec does not know (naming the class and
     *     the field, never the value)
     */
    public static String write(Entity e) {
        Record raw = e.raw();
        Origin origin = e.origin();
        // Values whose provenance names another record than the entity's (rare): listed once, referred to by index.
        List<Origin> others = new ArrayList<>();
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("type", e.type().name());
            writeRecord(g, raw);
            // Written only when it is not the one the record gives (mappers derive it from the record).
            if (!origin.equals(Origin.of(raw))) {
                g.writeFieldName("origin");
                writeOrigin(g, origin);
            }
            if (!e.values().isEmpty()) {
                g.writeObjectFieldStart("values");
                for (Map.Entry<Field<?>, Value<?>> v : e.values().entrySet()) {
                    g.writeFieldName(v.getKey().name());
                    writeValue(g, v.getValue(), origin, others, v.getKey().toString());
                }
                g.writeEndObject();
            }
            if (!e.customValues().isEmpty()) {
                g.writeObjectFieldStart("custom");
                for (Map.Entry<String, Value<?>> v : e.customValues().entrySet()) {
                    g.writeFieldName(v.getKey());
                    writeValue(g, v.getValue(), origin, others, "custom value " + v.getKey());
                }
                g.writeEndObject();
            }
            if (!e.externalIds().isEmpty()) {
                g.writeArrayFieldStart("externalIds");
                for (Value<ExternalId> id : e.externalIds()) {
                    writeValue(g, id, origin, others, "an external id");
                }
                g.writeEndArray();
            }
            if (!e.issues().isEmpty()) {
                g.writeArrayFieldStart("issues");
                for (Drift d : e.issues()) {
                    g.writeStartObject();
                    g.writeStringField("field", d.field());
                    g.writeStringField("kind", d.kind().name());
                    optional(g, "expected", d.expected());
                    optional(g, "observed", d.observed());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!others.isEmpty()) {
                g.writeArrayFieldStart("origins");
                for (Origin o : others) {
                    writeOrigin(g, o);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException("cannot write an entity as JSON", x); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeRecord(JsonGenerator g, Record r) throws IOException {
        g.writeObjectFieldStart("record");
        g.writeStringField("stream", r.stream());
        g.writeStringField("id", r.id());
        g.writeStringField("connector", r.source().connector());
        g.writeStringField("connection", r.source().connection());
        g.writeStringField("object", r.source().object());
        optional(g, "version", r.version());
        optional(g, "updatedAt", r.updatedAt() == null ? null : r.updatedAt().toString());
        optional(g, "deletedAt", r.deletedAt() == null ? null : r.deletedAt().toString());
        Acl acl = r.acl();
        if (acl != null) {
            g.writeObjectFieldStart("acl");
            optional(g, "owner", acl.owner());
            g.writeStringField("tenant", acl.tenant());
            g.writeStringField("visibility", acl.visibility().name());
            if (!acl.roles().isEmpty()) {
                g.writeArrayFieldStart("roles");
                for (String role : new TreeSet<>(acl.roles())) { // sorted: the same entity, the same text
                    g.writeString(role);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeOrigin(JsonGenerator g, Origin o) throws IOException {
        g.writeStartObject();
        g.writeStringField("connector", o.connector());
        g.writeStringField("connection", o.connection());
        g.writeStringField("account", o.account());
        g.writeStringField("object", o.object());
        g.writeStringField("sourceId", o.sourceId());
        optional(g, "sourceVersion", o.sourceVersion());
        optional(g, "updatedAt", o.updatedAt() == null ? null : o.updatedAt().toString());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, @Nullable String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /**
     * One value: {@code t} its type tag, {@code v} the value (numbers as text, so no digit or scale is lost), then
     * what the tag needs, {@code f} the source field, {@code o} the index of its origin when not the entity's.
     */
    private static void writeValue(JsonGenerator g, Value<?> value, Origin entity, List<Origin> others, String where)
            throws IOException {
        g.writeStartObject();
        writeTagged(g, value.value(), entity, others, where);
        writeProvenance(g, value.provenance(), entity, others);
        g.writeEndObject();
    }

    /** A value's tag and fields, into the object open in {@code g}; lists and structures nest. */
    private static void writeTagged(JsonGenerator g, Object v, Origin entity, List<Origin> others, String where)
            throws IOException {
        if (v instanceof String s) {
            tagged(g, "text", s);
        } else if (v instanceof Email email) {
            tagged(g, "email", email.address());
        } else if (v instanceof Phone phone) {
            tagged(g, "phone", phone.raw());
            g.writeStringField("dialable", phone.dialable());
        } else if (v instanceof Money money) {
            tagged(g, "money", money.amount().toString());
            g.writeStringField("currency", money.currency().getCurrencyCode());
        } else if (v instanceof Instant instant) {
            tagged(g, "timestamp", instant.toString());
        } else if (v instanceof LocalDate date) {
            tagged(g, "date", date.toString());
        } else if (v instanceof BigDecimal number) {
            tagged(g, "number", number.toString());
        } else if (v instanceof Long integer) {
            g.writeStringField("t", "integer");
            g.writeNumberField("v", integer);
        } else if (v instanceof Boolean bool) {
            g.writeStringField("t", "boolean");
            g.writeBooleanField("v", bool);
        } else if (v instanceof Coded<?> coded) {
            tagged(g, "coded", coded.code().name());
            g.writeStringField("enum", coded.code().getDeclaringClass().getName());
            g.writeStringField("raw", coded.raw());
        } else if (v instanceof Code code) {
            tagged(g, "code", code.code());
            g.writeStringField("raw", code.raw());
        } else if (v instanceof EntityRef ref) {
            tagged(g, "ref", ref.id());
            g.writeStringField("type", ref.type().name());
            g.writeStringField("connector", ref.connector());
            g.writeStringField("connection", ref.connection());
            g.writeStringField("object", ref.object());
        } else if (v instanceof ExternalId id) {
            tagged(g, "externalId", id.id());
            g.writeStringField("system", id.system());
        } else if (v instanceof JsonValue json) {
            // As text in core's own form: core's parser reads back exactly what its writer wrote (numbers unrounded).
            tagged(g, "json", Json.write(json));
        } else if (v instanceof Stage stage) {
            tagged(g, "stage", stage.id());
            optional(g, "label", stage.label());
            optional(g, "pipeline", stage.pipeline());
            g.writeStringField("kind", stage.kind().name());
        } else if (v instanceof Address a) {
            g.writeStringField("t", "address");
            optional(g, "street", a.street());
            optional(g, "city", a.city());
            optional(g, "state", a.state());
            optional(g, "postalCode", a.postalCode());
            optional(g, "country", a.country());
        } else if (v instanceof Attachment a) {
            tagged(g, "attachment", a.id());
            optional(g, "name", a.name());
            optional(g, "mediaType", a.mediaType());
            if (a.size() != null) {
                g.writeNumberField("size", a.size());
            }
            optional(g, "link", a.link());
        } else if (v instanceof PipelineStage stage) {
            tagged(g, "pipelineStage", stage.id());
            g.writeStringField("label", stage.label());
            g.writeNumberField("order", stage.displayOrder());
            optional(
                    g,
                    "probability",
                    stage.probability() == null ? null : stage.probability().toString());
            g.writeStringField("kind", stage.kind().name());
        } else if (v instanceof ContactPoint<?> point) {
            g.writeStringField("t", "contact");
            g.writeStringField("kind", point.kind().name());
            g.writeObjectFieldStart("value");
            writeTagged(g, point.value(), entity, others, where + " contact point");
            g.writeEndObject();
            writeProvenance(g, point.provenance(), entity, others);
        } else if (v instanceof List<?> list) {
            g.writeStringField("t", "list");
            g.writeArrayFieldStart("items");
            for (Object item : list) {
                g.writeStartObject();
                writeTagged(g, item, entity, others, where + " item");
                g.writeEndObject();
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + where + ": EntityJson does not know values of class "
                    + v.getClass().getName() + "; teach EntityJson (write and read) that class");
        }
    }

    /** {@code f} the source field, {@code o} the index of its origin when not the entity's. */
    private static void writeProvenance(JsonGenerator g, Provenance p, Origin entity, List<Origin> others)
            throws IOException {
        if (p.sourceField() != null) {
            g.writeStringField("f", p.sourceField());
        }
        if (!p.origin().equals(entity)) {
            int index = others.indexOf(p.origin());
            if (index < 0) {
                others.add(p.origin());
                index = others.size() - 1;
            }
            g.writeNumberField("o", index);
        }
    }

    private static void tagged(JsonGenerator g, String tag, String value) throws IOException {
        g.writeStringField("t", tag);
        g.writeStringField("v", value);
    }

    /**
     * The entity {@link #write} wrote, without raw data ({@link Entity#hasRaw()} is false).
     *
     * @throws IllegalArgumentException when {@code json} is not such JSON (not JSON, a missing or malformed part, an
     *     unknown type tag) or was written in a newer format; the message says what and where, never a value
     */
    public static Entity read(String json, Builders builders) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException x) {
            // The parser's message quotes the text, which may be personal: only where it broke, and no cause.
            String at = x.getLocation() == null
                    ? ""
                    : " at line " + x.getLocation().getLineNr() + ", column "
                            + x.getLocation().getColumnNr();
            throw new IllegalArgumentException("not an entity written by EntityJson: the text is not JSON" + at
                    + "; hand read() exactly what write() returned");
        }
        if (root == null || !root.isObject()) {
            throw bad("the text is not a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isIntegralNumber()) {
            throw bad("it has no format version");
        }
        if (format.asLong() < 1) {
            throw bad("its format version is not a positive number");
        }
        if (format.asLong() > FORMAT) {
            throw new IllegalArgumentException("the entity was written in format " + format.asLong()
                    + ", this Switchboard reads formats 1 to " + FORMAT
                    + ": upgrade Switchboard on every instance that reads this store");
        }
        EntityType type = constant(EntityType.class, text(root, "type", "type"), "type");
        Record record = readRecord(object(root, "record", "record"));
        JsonNode originNode = root.get("origin");
        Origin origin = originNode == null ? Origin.of(record) : readOrigin(originNode, "origin");
        List<Origin> others = new ArrayList<>();
        JsonNode originsNode = root.get("origins");
        if (originsNode != null) {
            if (!originsNode.isArray()) {
                throw bad("origins is not an array");
            }
            for (int i = 0; i < originsNode.size(); i++) {
                others.add(readOrigin(originsNode.get(i), "origins[" + i + "]"));
            }
        }
        Entity.Builder b = builders.builder(type, record, origin);
        JsonNode values = root.get("values");
        if (values != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fields(values, "values"); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                Optional<Field<?>> field = type.field(v.getKey());
                if (field.isEmpty()) {
                    throw bad("values." + v.getKey() + " is not a field of " + type
                            + " (written by a newer Switchboard?)");
                }
                set(b, field.get(), readValue(v.getValue(), origin, others, "values." + v.getKey()));
            }
        }
        JsonNode custom = root.get("custom");
        if (custom != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fields(custom, "custom"); it.hasNext(); ) {
                Map.Entry<String, JsonNode> v = it.next();
                b.custom(v.getKey(), Optional.of(readValue(v.getValue(), origin, others, "custom." + v.getKey())));
            }
        }
        JsonNode ids = root.get("externalIds");
        if (ids != null) {
            if (!ids.isArray()) {
                throw bad("externalIds is not an array");
            }
            for (int i = 0; i < ids.size(); i++) {
                String where = "externalIds[" + i + "]";
                Value<?> id = readValue(ids.get(i), origin, others, where);
                if (!(id.value() instanceof ExternalId)) {
                    throw bad(where + " is not an external id");
                }
                @SuppressWarnings("unchecked")
                Value<ExternalId> typed = (Value<ExternalId>) id;
                b.externalId(Optional.of(typed));
            }
        }
        JsonNode issues = root.get("issues");
        if (issues != null) {
            if (!issues.isArray()) {
                throw bad("issues is not an array");
            }
            for (int i = 0; i < issues.size(); i++) {
                String where = "issues[" + i + "]";
                JsonNode d = object(issues, i, where);
                b.issue(new Drift(
                        text(d, "field", where + ".field"),
                        constant(Drift.Kind.class, text(d, "kind", where + ".kind"), where + ".kind"),
                        optionalText(d, "expected", where + ".expected"),
                        optionalText(d, "observed", where + ".observed")));
            }
        }
        // Marked as kept without its raw data: the record already is the identity only, so nothing is copied.
        return b.build().withoutRaw();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void set(Entity.Builder b, Field<?> field, Value<?> value) {
        Object v = value.value();
        String where = "values." + field.name();
        if (!field.valueClass().isInstance(v)) {
            throw bad(where + " holds a " + v.getClass().getSimpleName() + ", but field " + field + " holds "
                    + field.valueClass().getSimpleName());
        }
        if (v instanceof Coded<?> coded && field.codes() != coded.code().getDeclaringClass()) {
            throw bad(where + " is a code of "
                    + coded.code().getDeclaringClass().getSimpleName() + ", but field "
                    + field + " holds codes of "
                    + (field.codes() == null ? "no enumeration" : field.codes().getSimpleName()));
        }
        b.set((Field) field, (Value) value);
    }

    private static Record readRecord(JsonNode r) {
        Record.Builder b = Record.builder().stream(text(r, "stream", "record.stream"))
                .id(text(r, "id", "record.id"))
                .source(new RecordSource(
                        text(r, "connector", "record.connector"),
                        text(r, "connection", "record.connection"),
                        text(r, "object", "record.object")))
                .data(JsonObject.empty())
                .version(optionalText(r, "version", "record.version"))
                .updatedAt(optionalInstant(r, "updatedAt", "record.updatedAt"))
                .deleted(optionalInstant(r, "deletedAt", "record.deletedAt"));
        JsonNode acl = r.get("acl");
        if (acl != null) {
            if (!acl.isObject()) {
                throw bad("record.acl is not an object");
            }
            Set<String> roles = new HashSet<>();
            JsonNode rolesNode = acl.get("roles");
            if (rolesNode != null) {
                if (!rolesNode.isArray()) {
                    throw bad("record.acl.roles is not an array");
                }
                for (JsonNode role : rolesNode) {
                    if (!role.isTextual()) {
                        throw bad("record.acl.roles holds something other than text");
                    }
                    roles.add(role.asText());
                }
            }
            b.acl(new Acl(
                    optionalText(acl, "owner", "record.acl.owner"),
                    text(acl, "tenant", "record.acl.tenant"),
                    constant(
                            Visibility.class,
                            text(acl, "visibility", "record.acl.visibility"),
                            "record.acl.visibility"),
                    roles));
        }
        return b.build();
    }

    private static Origin readOrigin(JsonNode o, String where) {
        if (!o.isObject()) {
            throw bad(where + " is not an object");
        }
        return new Origin(
                text(o, "connector", where + ".connector"),
                text(o, "connection", where + ".connection"),
                text(o, "account", where + ".account"),
                text(o, "object", where + ".object"),
                text(o, "sourceId", where + ".sourceId"),
                optionalText(o, "sourceVersion", where + ".sourceVersion"),
                optionalInstant(o, "updatedAt", where + ".updatedAt"));
    }

    private static Value<?> readValue(JsonNode node, Origin entity, List<Origin> others, String where) {
        if (!node.isObject()) {
            throw bad(where + " is not an object");
        }
        Object value = readTagged(node, entity, others, where);
        return new Value<>(value, readProvenance(node, entity, others, where));
    }

    /** A value from its tag and fields; lists and structures nest. */
    private static Object readTagged(JsonNode node, Origin entity, List<Origin> others, String where) {
        if (!node.isObject()) {
            throw bad(where + " is not an object");
        }
        String tag = text(node, "t", where + ".t");
        Object value;
        try {
            value = switch (tag) {
                case "text" -> text(node, "v", where);
                case "email" -> new Email(text(node, "v", where));
                case "phone" -> new Phone(text(node, "v", where), text(node, "dialable", where + ".dialable"));
                case "money" ->
                    new Money(
                            new BigDecimal(text(node, "v", where)),
                            Currency.getInstance(text(node, "currency", where + ".currency")));
                case "timestamp" -> Instant.parse(text(node, "v", where));
                case "date" -> LocalDate.parse(text(node, "v", where));
                case "number" -> new BigDecimal(text(node, "v", where));
                case "integer" -> {
                    JsonNode v = node.get("v");
                    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
                        throw bad(where + " is not a whole number within 64 bits");
                    }
                    yield v.asLong();
                }
                case "boolean" -> {
                    JsonNode v = node.get("v");
                    if (v == null || !v.isBoolean()) {
                        throw bad(where + " is not true or false");
                    }
                    yield v.asBoolean();
                }
                case "coded" -> coded(node, where);
                case "code" -> new Code(text(node, "v", where), text(node, "raw", where + ".raw"));
                case "ref" ->
                    new EntityRef(
                            constant(EntityType.class, text(node, "type", where + ".type"), where + ".type"),
                            text(node, "connector", where + ".connector"),
                            text(node, "connection", where + ".connection"),
                            text(node, "object", where + ".object"),
                            text(node, "v", where));
                case "externalId" -> new ExternalId(text(node, "system", where + ".system"), text(node, "v", where));
                case "json" -> Json.parse(text(node, "v", where));
                case "stage" ->
                    new Stage(
                            text(node, "v", where),
                            optionalText(node, "label", where + ".label"),
                            optionalText(node, "pipeline", where + ".pipeline"),
                            constant(StageKind.class, text(node, "kind", where + ".kind"), where + ".kind"));
                case "address" ->
                    new Address(
                            optionalText(node, "street", where + ".street"),
                            optionalText(node, "city", where + ".city"),
                            optionalText(node, "state", where + ".state"),
                            optionalText(node, "postalCode", where + ".postalCode"),
                            optionalText(node, "country", where + ".country"));
                case "attachment" -> {
                    JsonNode size = node.get("size");
                    if (size != null && !(size.isIntegralNumber() && size.canConvertToLong())) {
                        throw bad(where + ".size is not a whole number within 64 bits");
                    }
                    yield new Attachment(
                            text(node, "v", where),
                            optionalText(node, "name", where + ".name"),
                            optionalText(node, "mediaType", where + ".mediaType"),
                            size == null ? null : size.asLong(),
                            optionalText(node, "link", where + ".link"));
                }
                case "pipelineStage" -> {
                    JsonNode order = node.get("order");
                    if (order == null || !order.isIntegralNumber() || !order.canConvertToLong()) {
                        throw bad(where + ".order is not a whole number within 64 bits");
                    }
                    String probability = optionalText(node, "probability", where + ".probability");
                    yield new PipelineStage(
                            text(node, "v", where),
                            text(node, "label", where + ".label"),
                            order.asLong(),
                            probability == null ? null : new BigDecimal(probability),
                            constant(StageKind.class, text(node, "kind", where + ".kind"), where + ".kind"));
                }
                case "contact" ->
                    new ContactPoint<>(
                            readTagged(object(node, "value", where + ".value"), entity, others, where + ".value"),
                            constant(ContactKind.class, text(node, "kind", where + ".kind"), where + ".kind"),
                            readProvenance(node, entity, others, where));
                case "list" -> {
                    JsonNode items = node.get("items");
                    if (items == null || !items.isArray()) {
                        throw bad(where + ".items is not an array");
                    }
                    List<Object> out = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) {
                        out.add(readTagged(items.get(i), entity, others, where + ".items[" + i + "]"));
                    }
                    yield List.copyOf(out);
                }
                default ->
                    throw bad(
                            where + " has the unknown type tag '" + safe(tag) + "' (written by a newer Switchboard?)");
            };
        } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException x) {
            if (x.getMessage() != null && x.getMessage().startsWith(BAD)) {
                throw x;
            }
            // The value's own parse error may quote it: name the place and the tag only.
            throw bad(where + " is not a valid " + tag + " value");
        } catch (RuntimeException x) {
            // core's JSON parser fails with its own exception
            throw bad(where + " is not a valid " + tag + " value");
        }
        return value;
    }

    private static Provenance readProvenance(JsonNode node, Origin entity, List<Origin> others, String where) {
        JsonNode f = node.get("f");
        if (f != null && !f.isTextual()) {
            throw bad(where + ".f is not text");
        }
        Origin origin = entity;
        JsonNode o = node.get("o");
        if (o != null) {
            if (!o.isIntegralNumber() || o.asLong() < 0 || o.asLong() >= others.size()) {
                throw bad(where + ".o does not name one of the origins");
            }
            origin = others.get(o.asInt());
        }
        return new Provenance(origin, f == null ? null : f.asText());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Coded<?> coded(JsonNode node, String where) {
        String name = text(node, "enum", where + ".enum");
        // Only an enumeration of this package is ever loaded: the name comes from stored text.
        if (!name.startsWith(PACKAGE) || name.indexOf('.', PACKAGE.length()) >= 0) {
            throw bad(where + ".enum is not an enumeration of " + Entity.class.getPackageName());
        }
        Class<?> codes;
        try {
            codes = Class.forName(name, false, Entity.class.getClassLoader());
        } catch (ClassNotFoundException x) {
            throw bad(where + ".enum names an enumeration this Switchboard does not have (written by a newer one?)");
        }
        if (!codes.isEnum()) {
            throw bad(where + ".enum is not an enumeration");
        }
        String constant = text(node, "v", where);
        try {
            return new Coded(Enum.valueOf((Class) codes, constant), text(node, "raw", where + ".raw"));
        } catch (IllegalArgumentException x) {
            throw bad(where + " is not a constant of " + codes.getSimpleName() + " (written by a newer Switchboard?)");
        }
    }

    private static final String BAD = "not an entity written by EntityJson: ";

    private static IllegalArgumentException bad(String what) {
        return new IllegalArgumentException(BAD + what + "; hand read() exactly what write() returned");
    }

    /** A tag or a name from the input, shortened: it is not a value, but keep messages small. */
    private static String safe(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static JsonNode object(JsonNode parent, String name, String where) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw bad(where + (n == null ? " is missing" : " is not an object"));
        }
        return n;
    }

    private static JsonNode object(JsonNode array, int index, String where) {
        JsonNode n = array.get(index);
        if (n == null || !n.isObject()) {
            throw bad(where + " is not an object");
        }
        return n;
    }

    private static Iterator<Map.Entry<String, JsonNode>> fields(JsonNode n, String where) {
        if (!n.isObject()) {
            throw bad(where + " is not an object");
        }
        return n.fields();
    }

    private static String text(JsonNode parent, String name, String where) {
        JsonNode n = parent.get(name);
        if (n == null || n.getNodeType() != JsonNodeType.STRING) {
            throw bad(where + (n == null ? " is missing" : " is not text"));
        }
        return n.asText();
    }

    private static @Nullable String optionalText(JsonNode parent, String name, String where) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(where + " is not text");
        }
        return n.asText();
    }

    private static @Nullable Instant optionalInstant(JsonNode parent, String name, String where) {
        String text = optionalText(parent, name, where);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (java.time.DateTimeException x) {
            throw bad(where + " is not an ISO-8601 instant");
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name, String where) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException x) {
            throw bad(where + " '" + safe(name) + "' is not one of " + List.of(type.getEnumConstants())
                    + " (written by a newer Switchboard?)");
        }
    }
}
