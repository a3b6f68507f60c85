package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.normalize.Activity;
import dev.switchboard.normalize.ActivityKind;
import dev.switchboard.normalize.ActivityStatus;
import dev.switchboard.normalize.Address;
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
import dev.switchboard.normalize.Lead;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Phone;
import dev.switchboard.normalize.Priority;
import dev.switchboard.normalize.SourceFields;
import dev.switchboard.normalize.Stage;
import dev.switchboard.normalize.StageKind;
import dev.switchboard.normalize.Team;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.TicketStatus;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import dev.switchboard.normalize.Visibility;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the Salesforce connector's records into the unified model: {@code Account} to
 * {@link Organization}, {@code Contact} to {@link Person}, {@code User} to {@link User},
 * {@code Group} (queues and public groups) to {@link Team}, {@code Lead} to {@link Lead},
 * {@code Case} to {@link Ticket}, {@code CaseComment} to {@link Comment}, {@code Opportunity} to
 * {@link Deal}, {@code Task} to {@link Activity}. Reads the
 * fields the connector selects (see {@link SalesforceObjects}); each value's provenance names its
 * sObject field. Found by {@link java.util.ServiceLoader}; stateless and thread-safe.
 *
 * <p>Money: {@code CurrencyIsoCode} when the record has it (multi-currency orgs), else none: the
 * connector does not know the org's currency, so an amount without one is left out and reported,
 * never guessed. A connection that knows its currency sets it with a field mapping.
 */
public final class SalesforceEntityMapper implements EntityMapper {
    /** Salesforce's default Case statuses; a company's own become {@code OTHER}, their raw value kept. */
    static final Map<String, TicketStatus> CASE_STATUS = Map.of(
            "New", TicketStatus.NEW,
            "Working", TicketStatus.OPEN,
            "Escalated", TicketStatus.OPEN,
            "On Hold", TicketStatus.PENDING,
            "Waiting on Customer", TicketStatus.PENDING,
            "Closed", TicketStatus.CLOSED);

    /** Case priorities (High, Medium, Low by default) and Task priorities (High, Normal, Low). */
    static final Map<String, Priority> PRIORITY = Map.of(
            "Low", Priority.LOW,
            "Medium", Priority.MEDIUM,
            "Normal", Priority.MEDIUM,
            "High", Priority.HIGH,
            "Urgent", Priority.URGENT,
            "Critical", Priority.URGENT);

    /** Salesforce's default Task statuses. */
    static final Map<String, ActivityStatus> TASK_STATUS = Map.of(
            "Not Started", ActivityStatus.OPEN,
            "Deferred", ActivityStatus.OPEN,
            "In Progress", ActivityStatus.IN_PROGRESS,
            "Waiting on someone else", ActivityStatus.IN_PROGRESS,
            "Completed", ActivityStatus.DONE);

    /**
     * A Case's Status as a stage of the ticket's life: Salesforce has no case pipeline object, the
     * status picklist is the pipeline. A company's own status is {@code OTHER} unless the record says
     * it is closed.
     */
    static final Map<String, StageKind> CASE_STAGE = Map.of(
            "New", StageKind.NEW,
            "Working", StageKind.OPEN,
            "Escalated", StageKind.OPEN,
            "On Hold", StageKind.WAITING,
            "Waiting on Customer", StageKind.WAITING,
            "Closed", StageKind.CLOSED);

    /** Record id prefixes (the first three characters name the sObject) of the objects refs point to. */
    private static final Map<String, Target> PREFIXES = Map.of(
            "001", new Target(EntityType.ORGANIZATION, "Account"),
            "003", new Target(EntityType.PERSON, "Contact"),
            "005", new Target(EntityType.USER, "User"),
            "006", new Target(EntityType.DEAL, "Opportunity"),
            "00G", new Target(EntityType.TEAM, "Group"),
            "00Q", new Target(EntityType.LEAD, "Lead"),
            "500", new Target(EntityType.TICKET, "Case"));

    private static final String CURRENCY = "CurrencyIsoCode";

    private record Target(EntityType type, String object) {}

    @Override
    public String connector() {
        return SalesforceRecords.CONNECTOR;
    }

    @Override
    public boolean maps(String stream) {
        return switch (stream) {
            case "Account", "Contact", "User", "Group", "Lead", "Case", "CaseComment", "Opportunity", "Task" -> true;
            default -> false;
        };
    }

    @Override
    public Entity.Builder map(SourceFields in) {
        return switch (in.record().stream()) {
            case "Account" -> account(in);
            case "Contact" -> contact(in);
            case "User" -> user(in);
            case "Group" -> group(in);
            case "Lead" -> lead(in);
            case "CaseComment" -> caseComment(in);
            case "Case" -> kase(in);
            case "Opportunity" -> opportunity(in);
            case "Task" -> task(in);
            default -> throw new IllegalArgumentException("no mapping for Salesforce stream " + in.record().stream());
        };
    }

    // Each source field is read once (a second read would report a bad value twice), then reused.

    private static Entity.Builder account(SourceFields in) {
        Optional<Value<Phone>> phone = in.phone("Phone");
        return in.entity(EntityType.ORGANIZATION)
                .set(Organization.NAME, in.text("Name"))
                .set(Organization.DOMAIN, in.domain("Website"))
                .set(Organization.WEBSITE, in.text("Website"))
                .set(Organization.PHONE, phone)
                .set(Organization.PHONES, in.contactPoints(ContactPoint.of(phone, ContactKind.WORK)))
                .set(
                        Organization.ADDRESSES,
                        in.contactPoints(
                                ContactPoint.of(address(in, "Billing"), ContactKind.BILLING),
                                ContactPoint.of(address(in, "Shipping"), ContactKind.SHIPPING)))
                .set(Organization.INDUSTRY, in.text("Industry"))
                .set(Organization.EMPLOYEES, in.integer("NumberOfEmployees"))
                .set(Organization.ANNUAL_REVENUE, in.money("AnnualRevenue", CURRENCY, null))
                .set(Organization.OWNER, user(in, "OwnerId"))
                .set(Organization.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Organization.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    private static Entity.Builder contact(SourceFields in) {
        Optional<Value<Email>> email = in.email("Email");
        Optional<Value<Phone>> phone = in.phone("Phone");
        return in.entity(EntityType.PERSON)
                .derived(Person.KIND, new Coded<>(PersonKind.CONTACT, "Contact"))
                .set(Person.FIRST_NAME, in.text("FirstName"))
                .set(Person.LAST_NAME, in.text("LastName"))
                .set(Person.EMAIL, email)
                .set(Person.PHONE, phone)
                .set(Person.EMAILS, in.contactPoints(ContactPoint.of(email, ContactKind.OTHER)))
                .set(
                        Person.PHONES,
                        in.contactPoints(
                                ContactPoint.of(phone, ContactKind.WORK),
                                ContactPoint.of(in.phone("MobilePhone"), ContactKind.MOBILE),
                                ContactPoint.of(in.phone("HomePhone"), ContactKind.HOME),
                                ContactPoint.of(in.phone("OtherPhone"), ContactKind.OTHER)))
                .set(
                        Person.ADDRESSES,
                        in.contactPoints(
                                ContactPoint.of(address(in, "Mailing"), ContactKind.MAILING),
                                ContactPoint.of(address(in, "Other"), ContactKind.OTHER)))
                .set(Person.TITLE, in.text("Title"))
                .set(Person.ORGANIZATION, in.ref("AccountId", EntityType.ORGANIZATION, "Account"))
                .set(Person.OWNER, user(in, "OwnerId"))
                .set(Person.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Person.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    /**
     * A compound address ({@code MailingAddress}, {@code BillingAddress}, a Lead's {@code Address}):
     * the compound field when the query selected it, else its component fields ({@code MailingStreet},
     * ...). Either way the provenance names the compound field.
     */
    private static Optional<Value<Address>> address(SourceFields in, String prefix) {
        String compound = prefix + "Address";
        if (in.raw(compound).isPresent()) {
            return in.address(
                    compound,
                    compound + ".street",
                    compound + ".city",
                    compound + ".state",
                    compound + ".postalCode",
                    compound + ".country");
        }
        return in.address(
                compound,
                prefix + "Street",
                prefix + "City",
                prefix + "State",
                prefix + "PostalCode",
                prefix + "Country");
    }

    /** A user of the org; deactivated users stay, with {@code active} false. */
    private static Entity.Builder user(SourceFields in) {
        return in.entity(EntityType.USER)
                .set(User.NAME, in.text("Name"))
                .set(User.FIRST_NAME, in.text("FirstName"))
                .set(User.LAST_NAME, in.text("LastName"))
                .set(User.EMAIL, in.email("Email"))
                .set(User.TITLE, in.text("Title"))
                .set(User.ACTIVE, in.bool("IsActive"))
                .set(User.CREATED_AT, in.timestamp("CreatedDate"))
                .set(User.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    /**
     * A queue or public group. Its members are {@code GroupMember} records, not fields of the group,
     * so {@code members} stays empty here.
     */
    private static Entity.Builder group(SourceFields in) {
        return in.entity(EntityType.TEAM)
                .set(Team.NAME, in.text("Name"))
                .set(Team.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Team.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    private static Entity.Builder lead(SourceFields in) {
        Optional<Value<Email>> email = in.email("Email");
        Optional<Value<Phone>> phone = in.phone("Phone");
        return in.entity(EntityType.LEAD)
                .set(Lead.NAME, in.text("Name"))
                .set(Lead.FIRST_NAME, in.text("FirstName"))
                .set(Lead.LAST_NAME, in.text("LastName"))
                .set(Lead.EMAIL, email)
                .set(Lead.PHONE, phone)
                .set(Lead.EMAILS, in.contactPoints(ContactPoint.of(email, ContactKind.OTHER)))
                // A Lead's Phone is labelled "Phone", a Contact's "Business Phone": only the latter is work.
                .set(
                        Lead.PHONES,
                        in.contactPoints(
                                ContactPoint.of(phone, ContactKind.OTHER),
                                ContactPoint.of(in.phone("MobilePhone"), ContactKind.MOBILE)))
                .set(Lead.ADDRESSES, in.contactPoints(ContactPoint.of(address(in, ""), ContactKind.OTHER)))
                .set(Lead.TITLE, in.text("Title"))
                .set(Lead.COMPANY, in.text("Company"))
                .set(Lead.STATUS, in.text("Status"))
                .set(Lead.CONVERTED, in.bool("IsConverted"))
                .set(Lead.OWNER, user(in, "OwnerId"))
                .set(Lead.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Lead.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    /** A comment on a case: public when published to the customer (portal, email), else internal. */
    private static Entity.Builder caseComment(SourceFields in) {
        Optional<Value<Boolean>> published = in.bool("IsPublished");
        return in.entity(EntityType.COMMENT)
                .set(Comment.TICKET, in.ref("ParentId", EntityType.TICKET, "Case"))
                .set(Comment.BODY, in.text("CommentBody"))
                .set(
                        Comment.VISIBILITY,
                        published.map(p -> new Value<>(
                                new Coded<>(
                                        p.value() ? Visibility.PUBLIC : Visibility.INTERNAL,
                                        p.value().toString()),
                                p.provenance())))
                .set(Comment.AUTHOR, related(in, "CreatedById"))
                .set(Comment.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Comment.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    private static Entity.Builder kase(SourceFields in) {
        Optional<Value<Coded<TicketStatus>>> status = in.coded("Status", TicketStatus.class, CASE_STATUS);
        return in.entity(EntityType.TICKET)
                .set(Ticket.SUBJECT, in.text("Subject"))
                .set(Ticket.DESCRIPTION, in.text("Description"))
                .set(Ticket.STATUS, status)
                .set(Ticket.PRIORITY, in.coded("Priority", Priority.class, PRIORITY))
                .set(Ticket.STAGE, caseStage(in, status))
                .set(Ticket.REQUESTER, in.ref("ContactId", EntityType.PERSON, "Contact"))
                .set(Ticket.ORGANIZATION, in.ref("AccountId", EntityType.ORGANIZATION, "Account"))
                .set(Ticket.OWNER, user(in, "OwnerId"))
                .set(Ticket.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Ticket.UPDATED_AT, in.timestamp("LastModifiedDate"))
                .set(Ticket.CLOSED_AT, in.timestamp("ClosedDate"));
    }

    private static Entity.Builder opportunity(SourceFields in) {
        Optional<Value<Coded<DealStatus>>> status = dealStatus(in);
        return in.entity(EntityType.DEAL)
                .set(Deal.NAME, in.text("Name"))
                .set(Deal.AMOUNT, in.money("Amount", CURRENCY, null))
                .set(Deal.STAGE, opportunityStage(in, status))
                .set(Deal.STATUS, status)
                // Salesforce's Probability is a percent, 0 to 100; the model's is 0 to 1.
                .set(
                        Deal.PROBABILITY,
                        in.number("Probability").map(v -> new Value<>(v.value().movePointLeft(2), v.provenance())))
                .set(Deal.CLOSE_DATE, in.date("CloseDate"))
                .set(Deal.ORGANIZATION, in.ref("AccountId", EntityType.ORGANIZATION, "Account"))
                .set(Deal.OWNER, user(in, "OwnerId"))
                .set(Deal.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Deal.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    /**
     * The Status as the case's stage: a standard status by its meaning, a company's own one closed when
     * {@code IsClosed} says so, else {@code OTHER}.
     */
    private static Optional<Value<Stage>> caseStage(SourceFields in, Optional<Value<Coded<TicketStatus>>> status) {
        if (status.isEmpty()) {
            return Optional.empty();
        }
        String raw = status.get()
                .value()
                .raw(); // as text() read it: never blank; not trimmed, as trimming control characters could empty it
        StageKind kind = Coded.of(StageKind.class, raw, CASE_STAGE).code();
        if (kind == StageKind.OTHER && in.bool("IsClosed").map(Value::value).orElse(false)) {
            kind = StageKind.CLOSED;
        }
        return Optional.of(
                new Value<>(new Stage(raw, null, null, kind), status.get().provenance()));
    }

    /**
     * {@code StageName} as the deal's stage (its own label), its kind what {@code IsClosed} and
     * {@code IsWon} say: the stage's settings in OpportunityStage decide those flags on every record,
     * so a company's own stage names are understood too.
     */
    private static Optional<Value<Stage>> opportunityStage(SourceFields in, Optional<Value<Coded<DealStatus>>> status) {
        Optional<Value<String>> name = in.text("StageName");
        if (name.isEmpty()) {
            return Optional.empty();
        }
        StageKind kind = status.map(s -> switch (s.value().code()) {
                    case OPEN -> StageKind.OPEN;
                    case WON -> StageKind.WON;
                    case LOST -> StageKind.LOST;
                    case OTHER -> StageKind.OTHER;
                })
                .orElse(StageKind.OTHER);
        String stage = name.get().value();
        return Optional.of(
                new Value<>(new Stage(stage, stage, null, kind), name.get().provenance()));
    }

    /**
     * Open while {@code IsClosed} is false; once closed, won or lost as {@code IsWon} says. The value's
     * provenance is the field that decided it, its raw value that field's.
     */
    private static Optional<Value<Coded<DealStatus>>> dealStatus(SourceFields in) {
        Optional<Value<Boolean>> closed = in.bool("IsClosed");
        if (closed.isEmpty()) {
            return Optional.empty();
        }
        if (!closed.get().value()) {
            return Optional.of(new Value<>(
                    new Coded<>(DealStatus.OPEN, "false"), closed.get().provenance()));
        }
        return in.bool("IsWon")
                .map(won -> new Value<>(
                        new Coded<>(
                                won.value() ? DealStatus.WON : DealStatus.LOST,
                                won.value().toString()),
                        won.provenance()));
    }

    private static Entity.Builder task(SourceFields in) {
        Optional<Value<EntityRef>> what = related(in, "WhatId");
        return in.entity(EntityType.ACTIVITY)
                .derived(Activity.KIND, new Coded<>(ActivityKind.TASK, "Task"))
                .set(Activity.SUBJECT, in.text("Subject"))
                .set(Activity.BODY, in.text("Description"))
                .set(Activity.STATUS, in.coded("Status", ActivityStatus.class, TASK_STATUS))
                .set(Activity.PRIORITY, in.coded("Priority", Priority.class, PRIORITY))
                // ActivityDate is a date without a time: due at its midnight UTC, as the model defines.
                .set(
                        Activity.DUE_AT,
                        in.date("ActivityDate")
                                .map(d -> new Value<>(
                                        d.value().atStartOfDay(ZoneOffset.UTC).toInstant(), d.provenance())))
                // What the task is about (an account, deal, case), else whom (a contact or lead).
                .set(Activity.RELATED_TO, what.isPresent() ? what : related(in, "WhoId"))
                .set(Activity.OWNER, user(in, "OwnerId"))
                .set(Activity.CREATED_AT, in.timestamp("CreatedDate"))
                .set(Activity.UPDATED_AT, in.timestamp("LastModifiedDate"));
    }

    /**
     * The owner as a reference to a {@code User}. Cases, tasks and leads can be owned by a queue
     * (prefix {@code 00G}), which is a {@link Team}, not a user: such an owner stays in the raw record
     * only, as the owner field holds users.
     */
    private static Optional<Value<EntityRef>> user(SourceFields in, String path) {
        return related(in, path).filter(ref -> ref.value().object().equals("User"));
    }

    /** A polymorphic reference, typed by its id's prefix; an id of another object refers to a generic record. */
    private static Optional<Value<EntityRef>> related(SourceFields in, String path) {
        // No Optional.map with a lambda capturing the record: this runs for every owned row.
        Optional<Value<String>> text = in.text(path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Value<String> v = text.get();
        String id = v.value().trim();
        Target target = id.length() < 3 ? null : PREFIXES.get(id.substring(0, 3));
        EntityType type = target == null ? EntityType.GENERIC : target.type();
        String object = target == null ? "sObject:" + (id.length() < 3 ? id : id.substring(0, 3)) : target.object();
        return Optional.of(new Value<>(
                new EntityRef(type, in.origin().connector(), in.origin().connection(), object, id), v.provenance()));
    }

    @Override
    public String toString() {
        return "SalesforceEntityMapper";
    }
}
