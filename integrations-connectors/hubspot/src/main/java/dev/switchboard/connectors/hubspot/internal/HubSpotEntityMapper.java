package dev.switchboard.connectors.hubspot.internal;

import dev.switchboard.core.json.JsonString;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.DealStatus;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityMapper;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import dev.switchboard.normalize.Value;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the HubSpot connector's records into the unified model: {@code contacts} and {@code owners}
 * to {@link Person}, {@code companies} to {@link Organization}, {@code deals} to {@link Deal},
 * {@code tickets} to {@link Ticket}. The {@code associations} and {@code properties} streams are
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

    static final Map<String, Priority> TICKET_PRIORITY =
            Map.of("LOW", Priority.LOW, "MEDIUM", Priority.MEDIUM, "HIGH", Priority.HIGH, "URGENT", Priority.URGENT);

    private static final String DEFAULT_PIPELINE = "0";
    private static final String OWNER = "hubspot_owner_id";
    /** The system HubSpot's Salesforce integration links records to. */
    private static final String SALESFORCE = "salesforce";

    @Override
    public String connector() {
        return "hubspot";
    }

    @Override
    public boolean maps(String stream) {
        return switch (stream) {
            case "contacts", "companies", "deals", "tickets", "owners" -> true;
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
            default -> throw new IllegalArgumentException("no mapping for HubSpot stream " + in.record().stream());
        };
    }

    private static Entity.Builder contact(SourceFields in) {
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.CONTACT, "contacts"))
                .set(Person.FIRST_NAME, in.text("firstname"))
                .set(Person.LAST_NAME, in.text("lastname"))
                .set(Person.EMAIL, in.email("email"))
                .set(Person.PHONE, in.phone("phone"))
                .set(Person.TITLE, in.text("jobtitle"))
                .set(Person.ORGANIZATION, in.ref("associatedcompanyid", EntityType.ORGANIZATION, "companies"))
                .set(Person.OWNER, owner(in, OWNER))
                .set(Person.CREATED_AT, in.timestamp("createdAt"))
                .set(Person.UPDATED_AT, in.updatedAt("updatedAt"))
                // A contact synced from Salesforce is one of its contacts or leads.
                .externalId(in.externalId("salesforcecontactid", SALESFORCE))
                .externalId(in.externalId("salesforceleadid", SALESFORCE));
    }

    private static Entity.Builder company(SourceFields in) {
        return in.entity(EntityType.ORGANIZATION)
                .set(Organization.NAME, in.text("name"))
                .set(Organization.DOMAIN, in.domain("domain"))
                .set(Organization.WEBSITE, in.text("website"))
                .set(Organization.PHONE, in.phone("phone"))
                .set(Organization.INDUSTRY, in.text("industry"))
                .set(Organization.EMPLOYEES, in.integer("numberofemployees"))
                .set(Organization.OWNER, owner(in, OWNER))
                .set(Organization.CREATED_AT, in.timestamp("createdAt"))
                .set(Organization.UPDATED_AT, in.updatedAt("updatedAt"))
                .externalId(in.externalId("salesforceaccountid", SALESFORCE));
    }

    private static Entity.Builder deal(SourceFields in) {
        return in.entity(EntityType.DEAL)
                .set(Deal.NAME, in.text("dealname"))
                // Without deal_currency_code the amount is in the portal's currency, which the connector does not know.
                .set(Deal.AMOUNT, in.money("amount", "deal_currency_code", null))
                .set(Deal.STAGE, in.text("dealstage"))
                // Stages of other pipelines are ids whose meaning only the pipeline's settings know: OTHER.
                .set(Deal.STATUS, in.coded("dealstage", DealStatus.class, DEAL_STAGE))
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
        return in.entity(EntityType.TICKET)
                .set(Ticket.SUBJECT, in.text("subject"))
                .set(Ticket.DESCRIPTION, in.text("content"))
                // Stage ids are the pipeline's own: only the default pipeline's are known here.
                .set(
                        Ticket.STATUS,
                        in.coded("hs_pipeline_stage", TicketStatus.class, defaultPipeline ? TICKET_STAGE : Map.of()))
                .set(Ticket.PRIORITY, in.coded("hs_ticket_priority", Priority.class, TICKET_PRIORITY))
                .set(Ticket.OWNER, owner(in, OWNER))
                .set(Ticket.CREATED_AT, in.timestamp("createdAt"))
                .set(Ticket.UPDATED_AT, in.updatedAt("updatedAt"))
                .set(Ticket.CLOSED_AT, in.timestamp("closed_date"));
    }

    /** An owner: a user of the portal, who can own records. */
    private static Entity.Builder owner(SourceFields in) {
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.USER, "owners"))
                .set(Person.FIRST_NAME, in.text("firstName"))
                .set(Person.LAST_NAME, in.text("lastName"))
                .set(Person.EMAIL, in.email("email"))
                .set(Person.CREATED_AT, in.timestamp("createdAt"))
                .set(Person.UPDATED_AT, in.updatedAt("updatedAt"));
    }

    private static Optional<Value<EntityRef>> owner(SourceFields in, String path) {
        return in.ref(path, EntityType.PERSON, "owners");
    }

    @Override
    public String toString() {
        return "HubSpotEntityMapper";
    }
}
