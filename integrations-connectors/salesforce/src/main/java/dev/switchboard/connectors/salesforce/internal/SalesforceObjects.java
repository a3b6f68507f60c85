package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.model.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declared contract of each stream: the standard fields read from each sObject, with the types
 * and nillability their describe reports (API v62.0). A read selects the fields of the connection's
 * contract, these unless the connection pins another, so a field added upstream changes nothing
 * until a pinned contract includes it; describe shows it as additive drift.
 */
public final class SalesforceObjects {
    /** The primary key of every stream. */
    public static final String ID = "Id";
    /** The cursor of every stream: changes on every write, system ones included, and on a delete. */
    public static final String CURSOR = "SystemModstamp";
    /** True on a row {@code queryAll} returns from the recycle bin. */
    public static final String IS_DELETED = "IsDeleted";

    /**
     * One field as describe reports it.
     *
     * @param values the picklist values the contract promises; empty for a field that is not
     *     enumerated, or whose values each org sets itself
     */
    public record FieldDef(String name, String type, boolean nillable, List<String> values) {
        public FieldDef {
            values = List.copyOf(values);
        }
    }

    /**
     * One sObject read as a stream. {@code ownerField} names who owns a record, when the object has
     * owners; {@code summary} says, for a model choosing a tool, what one record is and its notable
     * fields (the stream's description adds what every stream shares: order, cursor, filters).
     */
    public record ObjectDef(String name, List<FieldDef> fields, String ownerField, String summary) {
        public Set<String> fieldNames() {
            Set<String> names = new LinkedHashSet<>();
            fields.forEach(f -> names.add(f.name()));
            return names;
        }

        public Schema schema() {
            Schema.Builder b = Schema.builder();
            for (FieldDef f : fields) {
                b.add(new Schema.Field(
                        f.name(),
                        SalesforceTypes.fieldType(f.type()),
                        f.nillable(),
                        true,
                        new LinkedHashSet<>(f.values())));
            }
            return b.build();
        }

        /** Whether the object can be deleted (it has {@code IsDeleted}): its reads use queryAll and return tombstones. */
        public boolean deletable() {
            return fieldNames().contains(IS_DELETED);
        }

        public StreamDescriptor descriptor() {
            return new StreamDescriptor(name, schema(), ID, CURSOR)
                    .withDescription(summary + " " + (deletable() ? READS + DELETES : READS + NO_DELETES))
                    .withDeletes(deletable());
        }
    }

    /**
     * What every stream's reads do, as {@link SoqlStreamReader} does it: the order and cursor, the
     * look-back re-read, the filter pushed down (each value written as its field's SOQL literal), and the
     * tombstones a resumed read returns for objects that can be deleted.
     */
    private static final String READS = "Records come ordered by SystemModstamp, then Id, and reads resume after"
            + " a checkpoint on SystemModstamp, which moves on every change, system ones included, re-reading"
            + " a look-back window before it (10 minutes unless the connection sets lookback), so a record may"
            + " come again: apply records by Id and SystemModstamp."
            + " ReadRequest.where(field, value) on a field of the stream's contract (not a long text area such"
            + " as Description) is sent as SOQL field = value, several ANDed: quoted for text, id and picklist"
            + " fields, unquoted for booleans (true/false), numbers, dates (YYYY-MM-DD) and datetimes.";

    private static final String DELETES =
            " Deleted records still in the recycle bin (15 days) come as tombstones" + " (read with queryAll).";
    private static final String NO_DELETES = " Records of this object are never deleted, so no tombstone comes.";

    /** Case Status: the standard values, with On Hold, which Salesforce's sample support process adds. */
    private static final String[] CASE_STATUSES = {"New", "Working", "Escalated", "On Hold", "Closed"};
    /** Opportunity StageName: the standard sales process. */
    private static final String[] OPPORTUNITY_STAGES = {
        "Prospecting",
        "Qualification",
        "Needs Analysis",
        "Value Proposition",
        "Id. Decision Makers",
        "Perception Analysis",
        "Proposal/Price Quote",
        "Negotiation/Review",
        "Closed Won",
        "Closed Lost"
    };

    private static final List<FieldDef> AUDIT = List.of(
            f("OwnerId", "reference", false),
            f("IsDeleted", "boolean", false),
            f("CreatedDate", "datetime", false),
            f("LastModifiedDate", "datetime", false),
            f("SystemModstamp", "datetime", false));

    private static final Map<String, ObjectDef> OBJECTS = Map.of(
            "Account",
                    owned(
                            "Account",
                            "One Salesforce Account: a company or organization the org does business with (Name, Type, Industry, BillingCity, BillingCountry, Phone, Website, AnnualRevenue, NumberOfEmployees, OwnerId).",
                            f("Name", "string", false),
                            f("Type", "picklist", true),
                            f("Industry", "picklist", true),
                            f("BillingCity", "string", true),
                            f("BillingCountry", "string", true),
                            f("Phone", "phone", true),
                            f("Website", "url", true),
                            f("AnnualRevenue", "currency", true),
                            f("NumberOfEmployees", "int", true)),
            "Contact",
                    owned(
                            "Contact",
                            "One Salesforce Contact: a person, usually at an Account (AccountId), with FirstName, LastName, Email, Phone, Title and OwnerId.",
                            f("AccountId", "reference", true),
                            f("FirstName", "string", true),
                            f("LastName", "string", false),
                            f("Email", "email", true),
                            f("Phone", "phone", true),
                            f("Title", "string", true)),
            "Case",
                    owned(
                            "Case",
                            "One Salesforce Case: a customer support request, with CaseNumber, Subject, Description, Status (standard values New, Working, Escalated, On Hold, Closed), Priority, Origin, the AccountId and ContactId it concerns, IsClosed and ClosedDate.",
                            f("CaseNumber", "string", false),
                            f("Subject", "string", true),
                            f("Description", "textarea", true),
                            picklist("Status", true, CASE_STATUSES),
                            picklist("Priority", true, "High", "Medium", "Low"),
                            picklist("Origin", true, "Phone", "Email", "Web"),
                            f("AccountId", "reference", true),
                            f("ContactId", "reference", true),
                            f("IsClosed", "boolean", false),
                            f("ClosedDate", "datetime", true)),
            "Opportunity",
                    owned(
                            "Opportunity",
                            "One Salesforce Opportunity: a potential sale to an Account, with Name, StageName, Amount, Probability (percent), CloseDate, IsClosed and IsWon.",
                            f("Name", "string", false),
                            f("AccountId", "reference", true),
                            picklist("StageName", false, OPPORTUNITY_STAGES),
                            f("Amount", "currency", true),
                            f("Probability", "percent", true),
                            f("CloseDate", "date", false),
                            f("IsClosed", "boolean", false),
                            f("IsWon", "boolean", false)),
            "Task",
                    owned(
                            "Task",
                            "One Salesforce Task: a to-do or logged activity, with Subject, Status, Priority, ActivityDate (due date), Description, IsClosed, WhatId (the related record, e.g. an Account, Opportunity or Case) and WhoId (the Contact or Lead).",
                            f("Subject", "combobox", true),
                            f("Status", "picklist", false),
                            f("Priority", "picklist", false),
                            f("ActivityDate", "date", true),
                            f("WhatId", "reference", true),
                            f("WhoId", "reference", true),
                            f("Description", "textarea", true),
                            f("IsClosed", "boolean", false)),
            // Users have no owner and no IsDeleted: they are deactivated, never deleted.
            "User",
                    new ObjectDef(
                            "User",
                            List.of(
                                    f(ID, "id", false),
                                    f("Username", "string", false),
                                    f("Name", "string", false),
                                    f("FirstName", "string", true),
                                    f("LastName", "string", false),
                                    f("Email", "email", false),
                                    f("IsActive", "boolean", false),
                                    f("UserType", "picklist", true),
                                    f("ProfileId", "reference", false),
                                    f("CreatedDate", "datetime", false),
                                    f("LastModifiedDate", "datetime", false),
                                    f(CURSOR, "datetime", false)),
                            "",
                            "One Salesforce User: a person who logs in to the org (Username, Name, Email, IsActive,"
                                    + " UserType, ProfileId); the Id that OwnerId fields of other records point to."
                                    + " Users are deactivated (IsActive false), never deleted."));

    private SalesforceObjects() {}

    public static List<ObjectDef> all() {
        return OBJECTS.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
    }

    public static ObjectDef get(String name) {
        ObjectDef def = OBJECTS.get(name);
        if (def == null) {
            throw new IllegalArgumentException("no Salesforce stream " + name);
        }
        return def;
    }

    private static ObjectDef owned(String name, String summary, FieldDef... own) {
        List<FieldDef> fields = new ArrayList<>();
        fields.add(f(ID, "id", false));
        fields.addAll(List.of(own));
        fields.addAll(AUDIT);
        return new ObjectDef(name, List.copyOf(fields), "OwnerId", summary);
    }

    private static FieldDef f(String name, String type, boolean nillable) {
        return new FieldDef(name, type, nillable, List.of());
    }

    /** A picklist whose values Salesforce ships in every org (orgs may add more: that is drift to review). */
    private static FieldDef picklist(String name, boolean nillable, String... values) {
        return new FieldDef(name, "picklist", nillable, List.of(values));
    }
}
