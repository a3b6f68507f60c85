package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.testkit.VendorSamples;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sObjects {@link FakeSalesforce} serves, with the standard fields, types, nillability and key
 * prefixes Salesforce's describe reports, and describe answers built on the real describe payload
 * in the vendor samples (so they keep its envelope and field keys).
 */
final class FakeSalesforceObjects {
    /** One field as describe reports it. */
    record Field(
            String name,
            String type,
            boolean nillable,
            boolean createable,
            boolean updateable,
            List<String> picklist) {}

    /** One sObject. */
    record SObject(String name, String keyPrefix, List<Field> fields) {
        @Nullable
        Field field(String name) {
            return fields.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElse(null);
        }
    }

    static final List<String> CASE_STATUSES = List.of("New", "Working", "Escalated", "On Hold", "Closed");

    private FakeSalesforceObjects() {}

    /** The objects, fresh (a test may remove fields from its copy). */
    static Map<String, SObject> standard() {
        Map<String, SObject> objects = new LinkedHashMap<>();
        objects.put(
                "Account",
                owned(
                        "Account",
                        "001",
                        w("Name", "string", false),
                        w("Type", "picklist", true),
                        w("Industry", "picklist", true),
                        w("BillingCity", "string", true),
                        w("BillingCountry", "string", true),
                        w("Phone", "phone", true),
                        w("Website", "url", true),
                        w("AnnualRevenue", "currency", true),
                        w("NumberOfEmployees", "int", true)));
        objects.put(
                "Contact",
                owned(
                        "Contact",
                        "003",
                        w("AccountId", "reference", true),
                        w("FirstName", "string", true),
                        w("LastName", "string", false),
                        w("Email", "email", true),
                        w("Phone", "phone", true),
                        w("Title", "string", true)));
        objects.put(
                "Case",
                owned(
                        "Case",
                        "500",
                        ro("CaseNumber", "string", false),
                        w("Subject", "string", true),
                        w("Description", "textarea", true),
                        new Field("Status", "picklist", true, true, true, CASE_STATUSES),
                        w("Priority", "picklist", true),
                        w("Origin", "picklist", true),
                        w("AccountId", "reference", true),
                        w("ContactId", "reference", true),
                        ro("IsClosed", "boolean", false),
                        ro("ClosedDate", "datetime", true)));
        objects.put(
                "Opportunity",
                owned(
                        "Opportunity",
                        "006",
                        w("Name", "string", false),
                        w("AccountId", "reference", true),
                        w("StageName", "picklist", false),
                        w("Amount", "currency", true),
                        w("Probability", "percent", true),
                        w("CloseDate", "date", false),
                        ro("IsClosed", "boolean", false),
                        ro("IsWon", "boolean", false)));
        objects.put(
                "Task",
                owned(
                        "Task",
                        "00T",
                        w("Subject", "combobox", true),
                        w("Status", "picklist", false),
                        w("Priority", "picklist", false),
                        w("ActivityDate", "date", true),
                        w("WhatId", "reference", true),
                        w("WhoId", "reference", true),
                        w("Description", "textarea", true),
                        ro("IsClosed", "boolean", false)));
        objects.put(
                "User",
                new SObject(
                        "User",
                        "005",
                        List.of(
                                ro("Id", "id", false),
                                w("Username", "string", false),
                                ro("Name", "string", false),
                                w("FirstName", "string", true),
                                w("LastName", "string", false),
                                w("Email", "email", false),
                                w("IsActive", "boolean", false),
                                w("UserType", "picklist", true),
                                w("ProfileId", "reference", false),
                                ro("CreatedDate", "datetime", false),
                                ro("LastModifiedDate", "datetime", false),
                                ro("SystemModstamp", "datetime", false))));
        // The org's sharing settings (organization-wide defaults), one row: see FakeSalesforce#sharingDefault.
        objects.put(
                "Organization",
                new SObject(
                        "Organization",
                        "00D",
                        List.of(
                                ro("Id", "id", false),
                                ro("Name", "string", false),
                                access("DefaultAccountAccess", ACCOUNT_ACCESS),
                                access("DefaultContactAccess", CONTACT_ACCESS),
                                access("DefaultOpportunityAccess", OPPORTUNITY_ACCESS),
                                access("DefaultCaseAccess", CASE_ACCESS),
                                access("DefaultLeadAccess", CASE_ACCESS),
                                ro("SystemModstamp", "datetime", false))));
        // Share tables: who a record is shared with besides its owner (manual shares, sharing rules, teams).
        objects.put("AccountShare", share("AccountShare", "00r", "Account"));
        objects.put("ContactShare", share("ContactShare", "03s", "Contact"));
        objects.put("OpportunityShare", share("OpportunityShare", "00t", "Opportunity"));
        objects.put("CaseShare", share("CaseShare", "01n", "Case"));
        objects.put(
                "CaseComment",
                new SObject(
                        "CaseComment",
                        "00a",
                        List.of(
                                ro("Id", "id", false),
                                new Field("ParentId", "reference", false, true, false, List.of()),
                                w("CommentBody", "textarea", true),
                                w("IsPublished", "boolean", false),
                                ro("CreatedById", "reference", false),
                                ro("IsDeleted", "boolean", false),
                                ro("CreatedDate", "datetime", false),
                                ro("SystemModstamp", "datetime", false))));
        return objects;
    }

    /** The values of the Organization's default access fields, as the object reference lists them. */
    static final List<String> ACCOUNT_ACCESS =
            List.of("None", "Read", "Edit", "ControlledByLeadOrContact", "ControlledByCampaign");

    static final List<String> CONTACT_ACCESS = List.of("None", "Read", "Edit", "ControlledByParent");
    static final List<String> OPPORTUNITY_ACCESS = List.of("None", "Read", "Edit");
    static final List<String> CASE_ACCESS = List.of("None", "Read", "Edit", "ReadEditTransfer");

    /** Why a share row exists; Salesforce has more (territories, teams, implicit parents). */
    static final List<String> ROW_CAUSES =
            List.of("Owner", "Manual", "Rule", "Team", "ImplicitChild", "ImplicitParent", "Territory");

    private static Field access(String name, List<String> values) {
        return new Field(name, "picklist", false, false, false, values);
    }

    /** {@code AccountShare} and its kind: the parent's id in {@code {Parent}Id}, its access level, the cause. */
    private static SObject share(String name, String prefix, String parent) {
        return new SObject(
                name,
                prefix,
                List.of(
                        ro("Id", "id", false),
                        new Field(parent + "Id", "reference", false, true, false, List.of()),
                        new Field("UserOrGroupId", "reference", false, true, false, List.of()),
                        new Field(
                                parent + "AccessLevel", "picklist", false, true, true, List.of("Read", "Edit", "All")),
                        new Field("RowCause", "picklist", true, true, false, ROW_CAUSES),
                        ro("IsDeleted", "boolean", false),
                        ro("LastModifiedDate", "datetime", false)));
    }

    private static SObject owned(String name, String prefix, Field... own) {
        List<Field> fields = new ArrayList<>();
        fields.add(ro("Id", "id", false));
        fields.addAll(List.of(own));
        fields.add(w("OwnerId", "reference", false));
        fields.add(ro("IsDeleted", "boolean", false));
        fields.add(ro("CreatedDate", "datetime", false));
        fields.add(ro("LastModifiedDate", "datetime", false));
        fields.add(ro("SystemModstamp", "datetime", false));
        return new SObject(name, prefix, List.copyOf(fields));
    }

    private static Field w(String name, String type, boolean nillable) {
        return new Field(name, type, nillable, true, true, List.of());
    }

    private static Field ro(String name, String type, boolean nillable) {
        return new Field(name, type, nillable, false, false, List.of());
    }

    /** A describe answer for {@code object}, on the envelope and field template of the real sample. */
    static JsonObject describe(SObject object) {
        JsonObject sample = (JsonObject) VendorSamples.json("salesforce/nifi_describe_sobject.json");
        JsonObject fieldTemplate = (JsonObject) Objects.requireNonNull(sample.array("fields"), "the sample has fields")
                .get(0);
        List<JsonValue> fields = new ArrayList<>();
        for (Field f : object.fields()) {
            JsonArray picklist = JsonArray.of(f.picklist().stream()
                    .map(v -> (JsonValue) JsonObject.builder()
                            .put("active", true)
                            .put("defaultValue", false)
                            .put("label", v)
                            .put("validFor", JsonNull.INSTANCE)
                            .put("value", v)
                            .build())
                    .toList());
            fields.add(fieldTemplate
                    .newBuilder()
                    .put("name", f.name())
                    .put("label", f.name())
                    .put("type", f.type())
                    .put("soapType", soapType(f.type()))
                    .put("nillable", f.nillable())
                    .put("createable", f.createable())
                    .put("updateable", f.updateable())
                    .put("custom", f.name().endsWith("__c"))
                    .put("length", new JsonNumber(java.math.BigDecimal.valueOf(length(f.type()))))
                    .put("picklistValues", picklist)
                    .put("idLookup", f.name().equals("Id"))
                    .put(
                            "referenceTo",
                            f.type().equals("reference")
                                    ? JsonArray.of(new JsonString(referenceTo(f.name())))
                                    : JsonArray.empty())
                    .build());
        }
        String base = "/services/data/v62.0/sobjects/" + object.name();
        return sample.newBuilder()
                .put("name", object.name())
                .put("label", object.name())
                .put("labelPlural", object.name() + "s")
                .put("keyPrefix", object.keyPrefix())
                .put("custom", false)
                .put("fields", JsonArray.of(fields))
                .put("childRelationships", JsonArray.empty())
                .put("recordTypeInfos", JsonArray.empty())
                .put(
                        "urls",
                        JsonObject.builder()
                                .put("sobject", base)
                                .put("describe", base + "/describe")
                                .put("rowTemplate", base + "/{ID}")
                                .build())
                .build();
    }

    private static String soapType(String type) {
        return switch (type) {
            case "id", "reference" -> "tns:ID";
            case "boolean" -> "xsd:boolean";
            case "int" -> "xsd:int";
            case "double", "currency", "percent" -> "xsd:double";
            case "date" -> "xsd:date";
            case "datetime" -> "xsd:dateTime";
            default -> "xsd:string";
        };
    }

    private static int length(String type) {
        return switch (type) {
            case "id", "reference" -> 18;
            case "string", "picklist", "combobox", "email", "url" -> 255;
            case "phone" -> 40;
            case "textarea" -> 32000;
            default -> 0;
        };
    }

    private static String referenceTo(String field) {
        return switch (field) {
            case "AccountId" -> "Account";
            case "ContactId", "WhoId" -> "Contact";
            case "ParentId" -> "Case";
            case "WhatId" -> "Account";
            case "ProfileId" -> "Profile";
            default -> "User";
        };
    }

    /** A plausible value of {@code field} for the {@code n}-th seeded record. */
    static JsonValue seedValue(String object, Field field, int n) {
        String name = field.name();
        return switch (object + "." + name) {
            case "Account.Name" ->
                new JsonString(ACCOUNT_NAMES[n % ACCOUNT_NAMES.length] + (n >= ACCOUNT_NAMES.length ? " " + n : ""));
            case "Account.Type" -> new JsonString(n % 3 == 0 ? "Customer - Direct" : "Prospect");
            case "Account.Industry" ->
                n % 4 == 3 ? JsonNull.INSTANCE : new JsonString(INDUSTRIES[n % INDUSTRIES.length]);
            case "Account.BillingCity" -> new JsonString(n % 2 == 0 ? "San Francisco" : "Lyon");
            case "Account.BillingCountry" -> new JsonString(n % 2 == 0 ? "USA" : "France");
            case "Account.Website" -> new JsonString("https://www.example-" + n + ".com");
            case "Account.AnnualRevenue" -> new JsonNumber(java.math.BigDecimal.valueOf(250_000L * (n + 1)));
            case "Account.NumberOfEmployees" -> JsonNumber.of(12L * (n + 1));
            case "Contact.FirstName" -> new JsonString(FIRST_NAMES[n % FIRST_NAMES.length]);
            case "Contact.LastName", "User.LastName" -> new JsonString(LAST_NAMES[n % LAST_NAMES.length]);
            case "Contact.Email" -> new JsonString("contact" + n + "@example.com");
            case "Contact.Title" -> new JsonString(n % 2 == 0 ? "VP Operations" : "Support Engineer");
            case "Case.CaseNumber" -> new JsonString(String.format("%08d", 1000 + n));
            case "Case.Subject" -> new JsonString(SUBJECTS[n % SUBJECTS.length]);
            case "Case.Description" ->
                n % 3 == 2 ? JsonNull.INSTANCE : new JsonString("Reported by the customer on call " + n + ".");
            case "Case.Status" -> new JsonString(n % 5 == 4 ? "Closed" : n % 2 == 0 ? "New" : "Working");
            case "Case.Priority", "Task.Priority" -> new JsonString(n % 3 == 0 ? "High" : "Medium");
            case "Case.Origin" -> new JsonString(n % 2 == 0 ? "Email" : "Phone");
            case "Case.IsClosed" -> JsonBoolean.of(n % 5 == 4);
            case "Opportunity.Name" -> new JsonString("Renewal " + (2026 + n % 2) + " #" + n);
            case "Opportunity.StageName" -> new JsonString(n % 2 == 0 ? "Prospecting" : "Negotiation/Review");
            case "Opportunity.Amount" ->
                new JsonNumber(new java.math.BigDecimal("15000.00").add(java.math.BigDecimal.valueOf(n * 500L)));
            case "Opportunity.Probability" -> new JsonNumber(java.math.BigDecimal.valueOf(n % 2 == 0 ? 10 : 70));
            case "Opportunity.CloseDate" -> new JsonString(String.format("2026-%02d-15", 1 + n % 12));
            case "Opportunity.IsClosed", "Opportunity.IsWon", "Task.IsClosed" -> JsonBoolean.of(false);
            case "Task.Subject" -> new JsonString(n % 2 == 0 ? "Call" : "Send quote");
            case "Task.Status" -> new JsonString("Not Started");
            case "Task.ActivityDate" -> new JsonString(String.format("2026-06-%02d", 1 + n % 28));
            case "User.Username" -> new JsonString("user" + n + "@example.com.fake");
            case "User.Name" ->
                new JsonString(FIRST_NAMES[n % FIRST_NAMES.length] + " " + LAST_NAMES[n % LAST_NAMES.length]);
            case "User.FirstName" -> new JsonString(FIRST_NAMES[n % FIRST_NAMES.length]);
            case "User.Email" -> new JsonString("user" + n + "@example.com");
            case "User.IsActive" -> JsonBoolean.of(true);
            case "User.UserType" -> new JsonString("Standard");
            case "User.ProfileId" -> new JsonString("00eRO0000000001AAA");
            default -> defaultValue(field);
        };
    }

    private static JsonValue defaultValue(Field field) {
        if (field.nillable()) {
            return JsonNull.INSTANCE;
        }
        if (!field.picklist().isEmpty()) {
            return new JsonString(field.picklist().get(0)); // CurrencyIsoCode: the corporate currency
        }
        return switch (field.type()) {
            case "boolean" -> JsonBoolean.of(false);
            case "int", "double", "currency", "percent" -> JsonNumber.of(0);
            default -> new JsonString("");
        };
    }

    private static final String[] ACCOUNT_NAMES = {
        "Edge Communications",
        "Burlington Textiles Corp of America",
        "Pyramid Construction Inc.",
        "Dickenson plc",
        "Grand Hotels & Resorts Ltd",
        "United Oil & Gas Corp.",
        "Express Logistics and Transport",
        "University of Arizona",
        "GenePoint",
        "sForce"
    };
    private static final String[] INDUSTRIES = {"Electronics", "Apparel", "Construction", "Consulting", "Hospitality"};
    private static final String[] FIRST_NAMES = {"Rose", "Sean", "Jack", "Andy", "Tim", "Josh", "Jane", "Arthur"};
    private static final String[] LAST_NAMES = {"Gonzalez", "Forbes", "Rogers", "Young", "Barr", "Davis", "Grey", "Song"
    };
    private static final String[] SUBJECTS = {
        "Seeking guidance on electrical wiring installation",
        "Performance inadequate for second consecutive week",
        "Cannot track our order",
        "Design issue with mechanical rotor",
        "Maintenance guidelines for generator unclear"
    };
}
