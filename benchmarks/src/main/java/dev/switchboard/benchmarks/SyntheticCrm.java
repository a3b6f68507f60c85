package dev.switchboard.benchmarks;

import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.normalize.Deal;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Field;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A CRM and a help desk of {@code n} entities in the proportions of a mid-size company, built as the mappers would
 * build them (typed values with provenance, the records kept by reference): a tenth organizations (Salesforce
 * Accounts with a web domain), three tenths Salesforce Contacts at them, a tenth HubSpot contacts that are the same
 * people as the first Salesforce Contacts (same email: they link), four tenths Salesforce Cases each naming a
 * contact and its account, a tenth Opportunities on the accounts. Deterministic for a given {@code n}.
 */
final class SyntheticCrm {
    static final String SF = "sf";
    static final String HS = "hs";
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final int organizations;
    final int contacts;
    final int hubspotContacts;
    final int cases;
    final int deals;

    SyntheticCrm(int n) {
        this.organizations = Math.max(1, n / 10);
        this.contacts = Math.max(1, n * 3 / 10);
        this.hubspotContacts = Math.min(contacts, n / 10);
        this.cases = n * 4 / 10;
        this.deals = n - organizations - contacts - hubspotContacts - cases;
    }

    /** Every entity, organizations first. */
    List<Entity> entities() {
        List<Entity> out = new ArrayList<>(organizations + contacts + hubspotContacts + cases + deals);
        for (int i = 0; i < organizations; i++) {
            out.add(account(i));
        }
        for (int i = 0; i < contacts; i++) {
            out.add(contact(i, email(i)));
        }
        for (int i = 0; i < hubspotContacts; i++) {
            out.add(hubspotContact(i));
        }
        for (int i = 0; i < cases; i++) {
            int who = (int) ((i * 2_654_435_761L) % contacts);
            out.add(kase(i, who));
        }
        for (int i = 0; i < deals; i++) {
            out.add(deal(i, i % organizations));
        }
        return out;
    }

    String email(int contact) {
        return "person" + contact + "@org" + (contact % organizations) + ".example";
    }

    Entity account(int i) {
        Entity.Builder b = builder(EntityType.ORGANIZATION, SF, "Account", "001" + i);
        set(b, Organization.NAME, "Org " + i, "Name");
        set(b, Organization.DOMAIN, "org" + i + ".example", "Website");
        return b.build().withoutRaw();
    }

    Entity contact(int i, String email) {
        Entity.Builder b = builder(EntityType.PERSON, SF, "Contact", "003" + i);
        set(b, Person.NAME, "First" + i + " Last" + i, "Name");
        set(b, Person.EMAIL, Email.parse(email).orElseThrow(), "Email");
        set(
                b,
                Person.ORGANIZATION,
                ref(EntityType.ORGANIZATION, SF, "Account", "001" + (i % organizations)),
                "AccountId");
        return b.build().withoutRaw();
    }

    Entity hubspotContact(int i) {
        Entity.Builder b = builder(EntityType.PERSON, HS, "contacts", String.valueOf(900_000_000L + i));
        set(b, Person.FIRST_NAME, "First" + i, "firstname");
        set(b, Person.LAST_NAME, "Last" + i, "lastname");
        set(b, Person.EMAIL, Email.parse(email(i)).orElseThrow(), "email");
        return b.build().withoutRaw();
    }

    Entity kase(int i, int contact) {
        Entity.Builder b = builder(EntityType.TICKET, SF, "Case", "500" + i);
        set(b, Ticket.SUBJECT, "Case " + i, "Subject");
        set(b, Ticket.REQUESTER, ref(EntityType.PERSON, SF, "Contact", "003" + contact), "ContactId");
        set(
                b,
                Ticket.ORGANIZATION,
                ref(EntityType.ORGANIZATION, SF, "Account", "001" + (contact % organizations)),
                "AccountId");
        return b.build().withoutRaw();
    }

    Entity deal(int i, int org) {
        Entity.Builder b = builder(EntityType.DEAL, SF, "Opportunity", "006" + i);
        set(b, Deal.NAME, "Deal " + i, "Name");
        set(b, Deal.ORGANIZATION, ref(EntityType.ORGANIZATION, SF, "Account", "001" + org), "AccountId");
        return b.build().withoutRaw();
    }

    static EntityRef ref(EntityType type, String connection, String object, String id) {
        return new EntityRef(type, connection.equals(SF) ? "salesforce" : "hubspot", connection, object, id);
    }

    private static Entity.Builder builder(EntityType type, String connection, String object, String id) {
        Record identity = Record.builder().stream(object)
                .id(id)
                .source(new RecordSource(connection.equals(SF) ? "salesforce" : "hubspot", connection, object))
                .data(JsonObject.empty())
                .updatedAt(T0)
                .version("1")
                .build();
        return Entity.builder(type, identity);
    }

    private static <T> void set(Entity.Builder b, Field<T> field, T value, String sourceField) {
        b.set(field, new Value<>(value, new Provenance(b.origin(), sourceField)));
    }
}
