package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.normalize.Address;
import dev.switchboard.normalize.Attachment;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Comment;
import dev.switchboard.normalize.ContactKind;
import dev.switchboard.normalize.ContactPoint;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.DealStatus;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Phone;
import dev.switchboard.normalize.Pipeline;
import dev.switchboard.normalize.PipelineStage;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.Stage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.Visibility;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps the HubSpot connector's records into the unified model: {@code contacts} to {@link Person},
 * {@code owners} to {@link User} (their teams as team references), {@code companies} to {@link Organization}, {@code deals} to {@link Deal},
 * {@code tickets} to {@link Ticket}, {@code pipelines} to {@link Pipeline} (its stages' kinds by
 * {@link #stageKind}, the one rule deal and ticket stages are read by). The {@code associations} and {@code properties} streams are
 * not claimed (they become generic entities). Records carry the properties flattened next to the
 * envelope ({@link HubSpotRecords}), so a value's source field is the property's own name
 * ({@code email}, {@code dealstage}) or the envelope's ({@code createdAt}). Found by
 * {@link java.util.ServiceLoader}; stateless and thread-safe.
 *
 * <p>Every contact is {@link PersonKind#CONTACT}, whatever its {@code lifecyclestage}: the stage
 * (subscriber, lead, customer, ...) is where a contact stands in the funnel, not another kind of
 * record, and a kind that changed as the stage moves would break references to the person. The
 * stage stays in the raw record, and a field mapping can lay it into a custom field.
 */
public final class HubSpotEntityMapper implements EntityMapper {
    /** HubSpot's default deal pipeline: the open stages, and the two closed ones. */
    static final Map<String, DealStatus> DEAL_STAGE = Map.of(
            "appointmentscheduled", DealStatus.OPEN,
            "qualifiedtobuy", DealStatus.OPEN,
            "presentationscheduled", DealStatus.OPEN,
            "decisionmakerboughtin", DealStatus.OPEN,
            "contractsent", DealStatus.OPEN,
            "closedwon", DealStatus.WON,
            "closedlost", DealStatus.LOST);

    /** The stages of HubSpot's default ticket pipeline ({@code hs_pipeline} {@code 0}), by id. */
    static final Map<String, TicketStatus> TICKET_STAGE = Map.of(
            "1", TicketStatus.NEW, // New
            "2", TicketStatus.PENDING, // Waiting on contact
            "3", TicketStatus.OPEN, // Waiting on us
            "4", TicketStatus.CLOSED); // Closed

    /** The default deal pipeline's stages by what they mean. */
    static final Map<String, StageKind> DEAL_STAGE_KIND = Map.of(
            "appointmentscheduled", StageKind.OPEN,
            "qualifiedtobuy", StageKind.OPEN,
            "presentationscheduled", StageKind.OPEN,
            "decisionmakerboughtin", StageKind.OPEN,
            "contractsent", StageKind.OPEN,
            "closedwon", StageKind.WON,
            "closedlost", StageKind.LOST);

    /** The default ticket pipeline's stages by what they mean. */
    static final Map<String, StageKind> TICKET_STAGE_KIND = Map.of(
            "1", StageKind.NEW, // New
            "2", StageKind.WAITING, // Waiting on contact
            "3", StageKind.OPEN, // Waiting on us
            "4", StageKind.CLOSED); // Closed

    static final Map<String, Priority> TICKET_PRIORITY =
            Map.of("LOW", Priority.LOW, "MEDIUM", Priority.MEDIUM, "HIGH", Priority.HIGH, "URGENT", Priority.URGENT);

    private static final String DEFAULT_PIPELINE = "0";
    private static final String OWNER = "hubspot_owner_id";
    private static final String ADDITIONAL_EMAILS = "hs_additional_emails";
    /** The system HubSpot's Salesforce integration links records to. */
    private static final String SALESFORCE = "salesforce";

    @Override
    public String connector() {
        return "hubspot";
    }

    @Override
    public boolean maps(String stream) {
        return switch (stream) {
            case "contacts", "companies", "deals", "tickets", "owners", "pipelines", "notes" -> true;
            default -> false;
        };
    }

    @Override
    public Entity.Builder map(SourceFields in) {
        return switch (in.record().stream()) {
            case "contacts" -> contact(in);
            case "companies" -> company(in);
            case "deals" -> deal(in);
            case "tickets" -> ticket(in);
            case "owners" -> owner(in);
            case "pipelines" -> pipeline(in);
            case "notes" -> note(in);
            default -> throw new IllegalArgumentException("no mapping for HubSpot stream " + in.record().stream());
        };
    }

    // Each source field is read once (a second read would report a bad value twice), then reused.

    private static Entity.Builder contact(SourceFields in) {
        List<Drift> issues = new ArrayList<>(0);
        Optional<Value<Email>> email = in.email("email");
        Optional<Value<Phone>> phone = in.phone("phone");
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.CONTACT, "contacts"))
                .set(Person.FIRST_NAME, in.text("firstname"))
                .set(Person.LAST_NAME, in.text("lastname"))
                .set(Person.EMAIL, email)
                .set(Person.PHONE, phone)
                .set(Person.EMAILS, emails(in, email, issues))
                .set(
                        Person.PHONES,
                        in.contactPoints(
                                ContactPoint.of(phone, ContactKind.OTHER),
                                ContactPoint.of(in.phone("mobilephone"), ContactKind.MOBILE)))
                .set(Person.ADDRESSES, in.contactPoints(ContactPoint.of(address(in), ContactKind.OTHER)))
                .set(Person.TITLE, in.text("jobtitle"))
                .set(Person.ORGANIZATION, in.ref("associatedcompanyid", EntityType.ORGANIZATION, "companies"))
                .set(Person.OWNER, owner(in, OWNER))
                .set(Person.CREATED_AT, in.timestamp("createdAt"))
                .set(Person.UPDATED_AT, in.updatedAt("updatedAt"))
                // A contact synced from Salesforce is one of its contacts or leads.
                .externalId(in.externalId("salesforcecontactid", SALESFORCE))
                .externalId(in.externalId("salesforceleadid", SALESFORCE))
                .issues(issues);
    }

    private static Entity.Builder company(SourceFields in) {
        Optional<Value<Phone>> phone = in.phone("phone");
        return in.entity(EntityType.ORGANIZATION)
                .set(Organization.NAME, in.text("name"))
                .set(Organization.DOMAIN, in.domain("domain"))
                .set(Organization.WEBSITE, in.text("website"))
                .set(Organization.PHONE, phone)
                .set(Organization.PHONES, in.contactPoints(ContactPoint.of(phone, ContactKind.OTHER)))
                .set(Organization.ADDRESSES, in.contactPoints(ContactPoint.of(address(in), ContactKind.OTHER)))
                .set(Organization.INDUSTRY, in.text("industry"))
                .set(Organization.EMPLOYEES, in.integer("numberofemployees"))
                .set(Organization.OWNER, owner(in, OWNER))
                .set(Organization.CREATED_AT, in.timestamp("createdAt"))
                .set(Organization.UPDATED_AT, in.updatedAt("updatedAt"))
                .externalId(in.externalId("salesforceaccountid", SALESFORCE));
    }

    private static Entity.Builder deal(SourceFields in) {
        // Stages of other pipelines are ids whose meaning only the pipeline's settings know: OTHER.
        Optional<Value<Coded<DealStatus>>> status = in.coded("dealstage", DealStatus.class, DEAL_STAGE);
        return in.entity(EntityType.DEAL)
                .set(Deal.NAME, in.text("dealname"))
                // Without deal_currency_code the amount is in the portal's currency, which the connector does not know.
                .set(Deal.AMOUNT, in.money("amount", "deal_currency_code", null))
                .set(Deal.STAGE, stage(status, in.text("pipeline"), "deals"))
                .set(Deal.STATUS, status)
                .set(Deal.PROBABILITY, in.number("hs_deal_stage_probability"))
                .set(Deal.CLOSE_DATE, closeDate(in))
                .set(Deal.OWNER, owner(in, OWNER))
                .set(Deal.CREATED_AT, in.timestamp("createdAt"))
                .set(Deal.UPDATED_AT, in.updatedAt("updatedAt"))
                .externalId(in.externalId("salesforceopportunityid", SALESFORCE));
    }

    /**
     * {@code closedate} is a date-time property; a date picked in HubSpot is stored as that day's
     * midnight UTC, so its UTC date is the day shown. A plain ISO date is read as it is.
     */
    private static Optional<Value<LocalDate>> closeDate(SourceFields in) {
        boolean dateOnly = in.raw("closedate")
                .filter(v -> v instanceof JsonString s && s.value().trim().length() == 10)
                .isPresent();
        if (dateOnly) {
            return in.date("closedate");
        }
        return in.timestamp("closedate")
                .map(v -> new Value<>(LocalDate.ofInstant(v.value(), ZoneOffset.UTC), v.provenance()));
    }

    private static Entity.Builder ticket(SourceFields in) {
        Optional<Value<String>> pipeline = in.text("hs_pipeline");
        boolean defaultPipeline = pipeline.isEmpty() || pipeline.get().value().equals(DEFAULT_PIPELINE);
        Optional<Value<Coded<TicketStatus>>> status =
                in.coded("hs_pipeline_stage", TicketStatus.class, defaultPipeline ? TICKET_STAGE : Map.of());
        return in.entity(EntityType.TICKET)
                .set(Ticket.SUBJECT, in.text("subject"))
                .set(Ticket.DESCRIPTION, in.text("content"))
                // Stage ids are the pipeline's own: only the default pipeline's are known here.
                .set(Ticket.STATUS, status)
                .set(Ticket.PRIORITY, in.coded("hs_ticket_priority", Priority.class, TICKET_PRIORITY))
                .set(Ticket.STAGE, stage(status, pipeline, "tickets"))
                .set(Ticket.OWNER, owner(in, OWNER))
                .set(Ticket.CREATED_AT, in.timestamp("createdAt"))
                .set(Ticket.UPDATED_AT, in.updatedAt("updatedAt"))
                .set(Ticket.CLOSED_AT, in.timestamp("closed_date"));
    }

    /**
     * A stage by its id, the pipeline it belongs to, and its kind as {@link #stageKind} reads it from the
     * id alone: a custom pipeline's stage is {@code OTHER} until its {@code Pipeline} says.
     */
    private static <E extends Enum<E>> Optional<Value<Stage>> stage(
            Optional<Value<Coded<E>>> stage, Optional<Value<String>> pipeline, String objectType) {
        if (stage.isEmpty()) {
            return Optional.empty();
        }
        String id = stage.get()
                .value()
                .raw(); // never blank, as text() read it; not trimmed (control characters would empty it)
        String pipelineId = pipeline.isEmpty() ? null : pipeline.get().value().trim();
        return Optional.of(new Value<>(
                new Stage(id, null, pipelineId, stageKind(objectType, pipelineId, id, null, null)),
                stage.get().provenance()));
    }

    /**
     * What a deal or ticket stage means; the one rule for a deal's or ticket's stage and a pipeline's.
     * With the stage's pipeline metadata: a deal stage that {@code isClosed} with probability 1 is
     * {@code WON}, with 0 {@code LOST}, any other deal stage {@code OPEN}; a ticket stage whose
     * {@code ticketState} is {@code CLOSED} is {@code CLOSED}. Otherwise the default pipelines' stage
     * ids say (deals: {@code closedwon} ...; tickets in pipeline {@code 0}: 1 {@code NEW}, 2
     * {@code WAITING}, 3 {@code OPEN}), an open ticket stage of another pipeline is {@code OPEN}, and
     * without metadata a stage the default pipelines do not know is {@code OTHER}.
     */
    static StageKind stageKind(
            String objectType,
            @Nullable String pipelineId,
            String stageId,
            @Nullable JsonObject metadata,
            @Nullable BigDecimal probability) {
        boolean deals = objectType.equals("deals");
        boolean defaultTicketPipeline = pipelineId == null || pipelineId.equals(DEFAULT_PIPELINE);
        Map<String, StageKind> known = deals ? DEAL_STAGE_KIND : defaultTicketPipeline ? TICKET_STAGE_KIND : Map.of();
        StageKind byId = Coded.of(StageKind.class, stageId, known).code();
        if (metadata == null) {
            return byId;
        }
        if (deals) {
            if (!"true".equalsIgnoreCase(text(metadata, "isClosed"))) {
                return StageKind.OPEN;
            }
            if (probability != null && probability.compareTo(BigDecimal.ONE) == 0) {
                return StageKind.WON;
            }
            return probability != null && probability.signum() == 0 ? StageKind.LOST : StageKind.OPEN;
        }
        if ("CLOSED".equalsIgnoreCase(text(metadata, "ticketState"))) {
            return StageKind.CLOSED;
        }
        // An open stage's meaning beyond "open" (new, waiting) is known for the default pipeline only.
        return byId == StageKind.OTHER || byId == StageKind.CLOSED ? StageKind.OPEN : byId;
    }

    /** A metadata value as text: HubSpot sends them as strings, a number or boolean is read as its JSON. */
    private static @Nullable String text(JsonObject o, String name) {
        JsonValue v = o.get(name);
        if (v == null || v instanceof dev.switchboard.core.json.JsonNull) {
            return null;
        }
        return v instanceof JsonString s ? s.value().trim() : v.toJson();
    }

    /**
     * A pipeline: its label, the unified type it applies to ({@code deal}, {@code ticket}; another
     * HubSpot object type as read), and its stages in display order, each with its probability (0 to
     * 1) and {@link #stageKind}. A stage without an id or label, or with a probability that is not a
     * number from 0 to 1, is left out and reported as an issue; the other stages are kept.
     */
    private static Entity.Builder pipeline(SourceFields in) {
        List<Drift> issues = new ArrayList<>(0);
        Optional<Value<String>> objectType = in.text("objectType");
        String type = objectType.map(v -> v.value().trim()).orElse("");
        Optional<Value<String>> pipelineId = in.text("pipelineId");
        return in.entity(EntityType.PIPELINE)
                .set(Pipeline.NAME, in.text("label"))
                .set(Pipeline.OBJECT_TYPE, objectType.map(v -> new Value<>(unifiedType(type), v.provenance())))
                .set(Pipeline.DISPLAY_ORDER, in.integer("displayOrder"))
                .set(Pipeline.ARCHIVED, in.bool("archived"))
                .set(
                        Pipeline.STAGES,
                        pipelineStages(
                                in, type, pipelineId.map(v -> v.value().trim()).orElse(null), issues))
                .set(Pipeline.CREATED_AT, in.timestamp("createdAt"))
                .set(Pipeline.UPDATED_AT, in.updatedAt("updatedAt"))
                .issues(issues);
    }

    /**
     * A note: a {@link Comment} on the ticket it is associated with ({@code ticketId}), its body
     * {@code hs_note_body}, created at {@code hs_timestamp}, written by its owner, always
     * {@code INTERNAL} (HubSpot notes are never shown to the customer), with its attachments by id only.
     */
    private static Entity.Builder note(SourceFields in) {
        return in.entity(EntityType.COMMENT)
                .set(Comment.TICKET, in.ref("ticketId", EntityType.TICKET, "tickets"))
                .set(Comment.BODY, in.text("hs_note_body"))
                .derived(Comment.VISIBILITY, new Coded<>(Visibility.INTERNAL, "note"))
                .set(Comment.AUTHOR, owner(in, OWNER))
                .set(Comment.ATTACHMENTS, attachments(in))
                .set(Comment.CREATED_AT, in.timestamp("hs_timestamp"))
                .set(Comment.UPDATED_AT, in.updatedAt("updatedAt"));
    }

    /** {@code hs_attachment_ids}: file ids joined by ';', each an attachment known by id only. */
    private static Optional<Value<List<Attachment>>> attachments(SourceFields in) {
        Optional<Value<String>> ids = in.text("hs_attachment_ids");
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        List<Attachment> out = new ArrayList<>();
        for (String id : ids.get().value().split(";")) {
            if (!id.isBlank()) {
                out.add(new Attachment(id.trim(), null, null, null, null));
            }
        }
        return out.isEmpty()
                ? Optional.empty()
                : Optional.of(new Value<>(List.copyOf(out), ids.get().provenance()));
    }

    private static String unifiedType(String objectType) {
        return switch (objectType) {
            case "deals" -> "deal";
            case "tickets" -> "ticket";
            default -> objectType;
        };
    }

    private static Optional<Value<List<PipelineStage>>> pipelineStages(
            SourceFields in, String objectType, @Nullable String pipelineId, List<Drift> issues) {
        Optional<JsonValue> raw = in.raw("stages");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!(raw.get() instanceof JsonArray array)) {
            issues.add(new Drift(
                    "stages",
                    Drift.Kind.TYPE_CHANGED,
                    "ARRAY of stages",
                    raw.get().type().name()));
            return Optional.empty();
        }
        List<PipelineStage> stages = new ArrayList<>();
        for (JsonValue v : array) {
            PipelineStage stage = v instanceof JsonObject o ? pipelineStage(o, objectType, pipelineId, issues) : null;
            if (stage == null && !(v instanceof JsonObject)) {
                issues.add(new Drift(
                        "stages",
                        Drift.Kind.TYPE_CHANGED,
                        "a stage object",
                        v.type().name()));
            }
            if (stage != null) {
                stages.add(stage);
            }
        }
        // HubSpot lists stages in display order already; sorting keeps the promise if it ever does not.
        stages.sort(java.util.Comparator.comparingLong(PipelineStage::displayOrder));
        return stages.isEmpty()
                ? Optional.empty()
                : Optional.of(new Value<>(List.copyOf(stages), new Provenance(in.origin(), "stages")));
    }

    /** One stage, or null (and an issue) when it has no id or label or a probability outside 0 to 1. */
    private static @Nullable PipelineStage pipelineStage(
            JsonObject o, String objectType, @Nullable String pipelineId, List<Drift> issues) {
        String id = o.string("id");
        String label = o.string("label");
        if (id == null || id.isBlank()) {
            issues.add(new Drift("stages.id", Drift.Kind.MISSING, "STRING", null));
            return null;
        }
        if (label == null || label.isBlank()) {
            issues.add(new Drift("stages.label", Drift.Kind.MISSING, "STRING", null));
            return null;
        }
        JsonObject metadata = o.object("metadata");
        BigDecimal probability = null;
        String p = metadata == null ? null : text(metadata, "probability");
        if (p != null && !p.isEmpty()) {
            try {
                probability = new BigDecimal(p);
            } catch (NumberFormatException e) {
                // The value is not echoed: a drift issue names what was expected, not the data.
                issues.add(new Drift(
                        "stages.metadata.probability",
                        Drift.Kind.TYPE_CHANGED,
                        "NUMBER",
                        "STRING that is not a NUMBER"));
                return null;
            }
            if (probability.signum() < 0 || probability.compareTo(BigDecimal.ONE) > 0) {
                issues.add(new Drift(
                        "stages.metadata.probability",
                        Drift.Kind.TYPE_CHANGED,
                        "NUMBER from 0 to 1",
                        "NUMBER outside 0 to 1"));
                return null;
            }
        }
        Long order = o.number("displayOrder") == null
                ? null
                : o.number("displayOrder").longValue();
        return new PipelineStage(
                id,
                label,
                order == null ? 0 : order,
                probability,
                stageKind(objectType, pipelineId, id, metadata, probability));
    }

    /** {@code email}, then each of {@code hs_additional_emails} (semicolon-separated). */
    private static Optional<Value<List<ContactPoint<Email>>>> emails(
            SourceFields in, Optional<Value<Email>> primary, List<Drift> issues) {
        List<Optional<ContactPoint<Email>>> points = new ArrayList<>();
        points.add(ContactPoint.of(primary, ContactKind.OTHER));
        Optional<Value<String>> more = in.text(ADDITIONAL_EMAILS);
        if (more.isPresent()) {
            for (String part : more.get().value().split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                Optional<Email> email = Email.parse(part);
                if (email.isPresent()) {
                    points.add(Optional.of(new ContactPoint<>(
                            email.get(), ContactKind.OTHER, more.get().provenance())));
                } else {
                    // One bad address is left out and reported; the others still count.
                    issues.add(new Drift(
                            ADDITIONAL_EMAILS, Drift.Kind.TYPE_CHANGED, "EMAIL", "STRING that is not a EMAIL"));
                }
            }
        }
        @SuppressWarnings("unchecked")
        Optional<ContactPoint<Email>>[] all = points.toArray(new Optional[0]);
        return in.contactPoints(all);
    }

    /** The street address and its parts: HubSpot keeps them as separate properties of contacts and companies. */
    private static Optional<Value<Address>> address(SourceFields in) {
        return in.address("address", "address", "city", "state", "zip", "country");
    }

    /**
     * An owner: a user of the portal, who can own records; archived owners are inactive. Its teams
     * become team references, the primary team first.
     */
    private static Entity.Builder owner(SourceFields in) {
        List<Drift> issues = new ArrayList<>(0);
        return in.entity(EntityType.USER)
                .set(User.FIRST_NAME, in.text("firstName"))
                .set(User.LAST_NAME, in.text("lastName"))
                .set(User.EMAIL, in.email("email"))
                .set(User.ACTIVE, in.bool("archived").map(a -> new Value<>(!a.value(), a.provenance())))
                .set(User.TEAMS, teams(in, issues))
                .set(User.CREATED_AT, in.timestamp("createdAt"))
                .set(User.UPDATED_AT, in.updatedAt("updatedAt"))
                .issues(issues);
    }

    /** The owner's teams ({@code [{id, name, primary}]}); a list or team of another shape is an issue. */
    private static Optional<Value<List<EntityRef>>> teams(SourceFields in, List<Drift> issues) {
        Optional<JsonValue> raw = in.raw("teams");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        if (!(raw.get() instanceof JsonArray array)) {
            issues.add(new Drift(
                    "teams",
                    Drift.Kind.TYPE_CHANGED,
                    "ARRAY of teams",
                    raw.get().type().name()));
            return Optional.empty();
        }
        List<EntityRef> primary = new ArrayList<>();
        List<EntityRef> others = new ArrayList<>();
        for (JsonValue v : array) {
            JsonValue id = v instanceof JsonObject team ? team.get("id") : null;
            if (!(id instanceof JsonString text) || text.value().isBlank()) {
                issues.add(new Drift(
                        "teams",
                        Drift.Kind.TYPE_CHANGED,
                        "a team with an id",
                        v.type().name()));
                continue;
            }
            EntityRef ref = new EntityRef(
                    EntityType.TEAM,
                    in.origin().connector(),
                    in.origin().connection(),
                    "teams",
                    text.value().trim());
            (Boolean.TRUE.equals(((JsonObject) v).bool("primary")) ? primary : others).add(ref);
        }
        primary.addAll(others);
        return primary.isEmpty()
                ? Optional.empty()
                : Optional.of(new Value<>(List.copyOf(primary), new Provenance(in.origin(), "teams")));
    }

    private static Optional<Value<EntityRef>> owner(SourceFields in, String path) {
        return in.ref(path, EntityType.USER, "owners");
    }

    @Override
    public String toString() {
        return "HubSpotEntityMapper";
    }
}
