package dev.switchboard.examples;

import static dev.switchboard.examples.BundledConnectorsDemo.HUBSPOT;
import static dev.switchboard.examples.BundledConnectorsDemo.SALESFORCE;
import static dev.switchboard.examples.BundledConnectorsDemo.SLACK;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Coded;
import dev.switchboard.normalize.Conflict;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityGraph;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.FieldMappings;
import dev.switchboard.normalize.LinkedEntity;
import dev.switchboard.normalize.Message;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Origin;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.Value;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo's unified-model step (integrations-normalize, docs/normalize.md): one customer, Maya
 * Patel of Northwind Traders, is seeded into the three fakes as each vendor would hold her, with
 * nothing but her email address in common (and HubSpot writes that in another case, with spaces).
 * The connections' streams are read through the {@link Normalizer} into an {@link EntityGraph}
 * (every read authorized, filtered and audited by its connection), the Salesforce connection's
 * field mappings loaded from {@value #MAPPINGS}; then the graph's general query, {@link
 * EntityGraph#related(LinkedEntity, EntityType, int)}, answers "her tickets, and their organizations with
 * their CRM data", each value with its provenance.
 */
final class UnifiedModelDemo {
    /** The Salesforce connection's field mappings, a class-path resource of this module. */
    static final String MAPPINGS = "mappings/salesforce-acme.yaml";
    /** The customer's address, as Salesforce and Slack hold it. */
    static final String EMAIL = "maya.patel@northwind.example";
    /** The same address as the HubSpot contact was typed in. */
    static final String HUBSPOT_EMAIL = "  Maya.Patel@Northwind.EXAMPLE ";

    static final String SLACK_USER = "U0MAYA001";
    /** Northwind's own Slack workspace: Maya is a member of it, met in the shared channel. */
    static final String CUSTOMER_WORKSPACE = "T0NORTHWD";

    static final String ACCOUNT_TYPE = "Customer - Direct";
    static final List<String> SALESFORCE_STREAMS = List.of("Account", "Contact", "Case");
    static final List<String> HUBSPOT_STREAMS = List.of("contacts", "tickets", "associations");
    /**
     * The Slack Connect channel shared with the customer: the {@code messages} read is filtered to it
     * (a read of every channel would wait out Slack's per-method budget between channels).
     */
    static final String SHARED_CHANNEL = "C0NORTHWND";
    /** The bound of each related query: an agent asks for a page, never for everything. */
    static final int MAX_TICKETS = 20;

    private UnifiedModelDemo() {}

    /**
     * The ids the fakes gave the customer's records when they were seeded.
     *
     * @param account the Salesforce Account
     * @param contact the Salesforce Contact
     * @param kase the Salesforce Case she raised
     * @param hubspotContact the HubSpot contact
     * @param hubspotTicket the HubSpot ticket associated with that contact
     * @param slackMessages the ids ({@code {channel}:{ts}}) of her Slack messages
     */
    record Seeded(
            String account,
            String contact,
            String kase,
            String hubspotContact,
            String hubspotTicket,
            List<String> slackMessages) {}

    /**
     * What the step computed.
     *
     * @param salesforce the Salesforce fake (stopped, still answering questions about its data)
     * @param hubspot the HubSpot fake
     * @param slack the Slack fake
     * @param seeded the customer's records in the fakes
     * @param graph every entity read, linked
     * @param tickets what {@code graph.related(person, TICKET, MAX_TICKETS)} answered: her tickets, linked
     * @param organizations her organizations and those of her tickets, each once
     * @param person the customer's linked person
     * @param messages the Slack messages the graph relates to her, oldest first
     * @param audit the audit events of the reads, in order
     */
    record UnifiedRead(
            FakeSalesforce salesforce,
            FakeHubSpot hubspot,
            FakeSlack slack,
            Seeded seeded,
            EntityGraph graph,
            List<LinkedEntity> tickets,
            List<LinkedEntity> organizations,
            LinkedEntity person,
            List<Message> messages,
            List<AuditEvent> audit) {}

    static UnifiedRead run(PrintStream out, AgentContext context, Clock clock, Sleeper sleeper) {
        FieldMappings mappings = loadMappings();
        try (BundledConnectorsDemo.Fakes fakes = BundledConnectorsDemo.Fakes.start()) {
            FakeSalesforce salesforce = fakes.salesforce();
            FakeHubSpot hubspot = fakes.hubspot();
            FakeSlack slack = fakes.slack();
            Seeded seeded = seed(salesforce, hubspot, slack, clock);
            out.printf(
                    "  seeded     Maya Patel of Northwind Traders, as each vendor holds her (new fakes, the connections%n"
                            + "             of step 6): a Salesforce Contact, her Account and a Case; a HubSpot contact%n"
                            + "             \"%s\" with a ticket; Slack user %s, %d messages in %s%n",
                    HUBSPOT_EMAIL, SLACK_USER, seeded.slackMessages().size(), SHARED_CHANNEL);
            out.printf("  mappings   %s, for connection %s:%n", MAPPINGS, SALESFORCE);
            mappings.streams()
                    .forEach(stream -> stream.fields()
                            .forEach(f -> out.printf(
                                    "             %s.%s -> %s%s%n",
                                    stream.stream(),
                                    f.source(),
                                    f.target(),
                                    f.currency() != null
                                            ? " in " + f.currency()
                                            : f.kind() != null
                                                    ? " (" + f.kind().name().toLowerCase(java.util.Locale.ROOT) + ")"
                                                    : "")));

            InMemoryAuditSink audit = AuditSink.inMemory();
            Normalizer normalizer =
                    Normalizer.builder().fieldMappings(SALESFORCE, mappings).build();
            try (Switchboard switchboard = fakes.connect(context, audit, clock, sleeper)) {
                // Each read goes through its connection as the agent: the access policy decides what the graph holds.
                EntityGraph graph = EntityGraph.builder()
                        .read(
                                normalizer,
                                switchboard.connection(SALESFORCE),
                                context,
                                SALESFORCE_STREAMS.toArray(String[]::new))
                        .read(
                                normalizer,
                                switchboard.connection(HUBSPOT),
                                context,
                                HUBSPOT_STREAMS.toArray(String[]::new))
                        .read(normalizer, switchboard.connection(SLACK), context, "users")
                        .read(
                                normalizer,
                                switchboard.connection(SLACK),
                                context,
                                ReadRequest.of("messages").where("channel", SHARED_CHANNEL))
                        .build();
                long reads = audit.events().stream()
                        .filter(e -> e.kind() == AuditEvent.Kind.READ)
                        .count();
                out.printf(
                        "  read       %d streams, each authorized and audited by its connection: %d entities in %d groups%n",
                        reads,
                        graph.groups().stream()
                                .mapToInt(g -> g.members().size())
                                .sum(),
                        graph.groups().size());
                audit.events().stream()
                        .filter(e -> e.kind() == AuditEvent.Kind.DRIFT)
                        .forEach(e -> out.printf(
                                "  drift      %s %s: additive drift in the vendor's metadata (logged above, audited); records unaffected%n",
                                e.connection(), e.operation()));

                Email customer = Email.parse(EMAIL).orElseThrow();
                LinkedEntity person = graph.person(customer).orElseThrow();
                // The general query: a group's related groups by type (and relation, if asked), bounded.
                List<LinkedEntity> tickets = graph.related(person, EntityType.TICKET, MAX_TICKETS);
                out.printf(
                        "  call       graph.related(graph.person(\"%s\"), TICKET, %d): %d tickets%n",
                        EMAIL, MAX_TICKETS, tickets.size());
                Set<LinkedEntity> organizations =
                        new LinkedHashSet<>(graph.related(person, EntityType.ORGANIZATION, MAX_TICKETS));
                tickets.forEach(t -> organizations.addAll(graph.related(t, EntityType.ORGANIZATION, MAX_TICKETS)));

                out.printf(
                        "  person     %s, linked by %s: %s%n",
                        name(person),
                        person.links().stream()
                                .map(l -> l.rule().name())
                                .distinct()
                                .collect(Collectors.joining(", ")),
                        person.members().stream().map(UnifiedModelDemo::source).collect(Collectors.joining(", ")));
                for (Conflict c : person.conflicts()) {
                    out.printf(
                            "  conflict   %s: %s%n",
                            c.field(),
                            c.values().stream()
                                    .map(v -> v.provenance().origin().connector() + " \"" + v.value() + "\"")
                                    .collect(Collectors.joining(" (shown), ")));
                }
                for (LinkedEntity t : tickets) {
                    Ticket ticket = (Ticket) t.primary();
                    out.printf(
                            "  ticket     %s  \"%s\"  status %s, priority %s%n",
                            source(ticket),
                            ticket.subject().orElse(""),
                            coded(ticket.value(Ticket.STATUS)),
                            ticket.priority().map(p -> p.code().name()).orElse("unknown"));
                }
                UnifiedRead result = new UnifiedRead(
                        salesforce,
                        hubspot,
                        slack,
                        seeded,
                        graph,
                        tickets,
                        List.copyOf(organizations),
                        person,
                        messagesOf(graph, person),
                        audit.events());
                for (LinkedEntity org : result.organizations()) {
                    out.printf(
                            "  org        %s (%s): tier %s, annual revenue %s%n",
                            org.get(Organization.NAME).orElse("?"),
                            source(org.primary()),
                            org.custom("tier").map(v -> code(v.value())).orElse("none"),
                            org.get(Organization.ANNUAL_REVENUE)
                                    .map(m -> m.amount().toPlainString() + " " + m.currency())
                                    .orElse("unknown"));
                }
                for (Message m : result.messages()) {
                    out.printf(
                            "  slack      %s %s%s \"%s\"%n",
                            m.channel().orElse("?"),
                            m.sentAt().map(Instant::toString).orElse("?"),
                            m.thread()
                                            .filter(thread ->
                                                    !thread.equals(m.ref().id()))
                                            .isPresent()
                                    ? " (in thread)"
                                    : "",
                            m.text().orElse(""));
                }
                // Three merged values, each from another source.
                printProvenance(out, "tier", result.organizations().get(0).custom("tier"));
                printProvenance(out, "status", hubspotTicket(result).flatMap(t -> t.value(Ticket.STATUS)));
                printProvenance(out, "name", person.value(Person.NAME));
                return result;
            }
        }
    }

    /**
     * Seeds the customer into each fake through its seeding API: Salesforce and Slack with her email
     * as it is, HubSpot with it in another case and with spaces; the HubSpot ticket is associated with
     * her contact, the Salesforce Case names her Contact and Account.
     */
    static Seeded seed(FakeSalesforce salesforce, FakeHubSpot hubspot, FakeSlack slack, Clock clock) {
        String account = salesforce.put(
                "Account",
                JsonObject.builder()
                        .put("Name", "Northwind Traders")
                        .put("Type", ACCOUNT_TYPE)
                        .put("Industry", "Retail")
                        .put("Website", "https://www.northwind.example")
                        .put("AnnualRevenue", 4_800_000)
                        .build());
        String contact = salesforce.put(
                "Contact",
                JsonObject.builder()
                        .put("AccountId", account)
                        .put("FirstName", "Maya")
                        .put("LastName", "Patel")
                        .put("Email", EMAIL)
                        .put("Title", "Head of Finance")
                        .build());
        String kase = salesforce.put(
                "Case",
                JsonObject.builder()
                        .put("Subject", "Invoice export times out")
                        .put("Status", "Escalated")
                        .put("Priority", "High")
                        .put("Origin", "Email")
                        .put("ContactId", contact)
                        .put("AccountId", account)
                        .build());

        // Modified an hour ago: a HubSpot read covers records modified up to the Switchboard's clock.
        Instant modified = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        String hubspotContact = hubspot.put(
                "contacts",
                Map.of("email", HUBSPOT_EMAIL, "firstname", "Maya", "lastname", "Patel", "jobtitle", "Finance Lead"),
                modified);
        // Pipeline 0, stage 2: "Waiting on contact" in HubSpot's default ticket pipeline.
        String hubspotTicket = hubspot.put(
                "tickets",
                Map.of(
                        "subject",
                        "March invoices missing from export",
                        "content",
                        "The CSV export stops at 2 March.",
                        "hs_pipeline",
                        "0",
                        "hs_pipeline_stage",
                        "2",
                        "hs_ticket_priority",
                        "HIGH"),
                modified.plusSeconds(60));
        hubspot.associate("contacts", hubspotContact, "tickets", hubspotTicket);

        // A member of the customer's own workspace: a customer's person, linked by email, not a user of ours.
        slack.addExternalUser(SLACK_USER, "maya.patel", "Maya Patel", EMAIL, CUSTOMER_WORKSPACE);
        slack.addChannel(SHARED_CHANNEL, "shared-northwind", false, true);
        String asked = "1700000600.000100";
        String reply = "1700000660.000100";
        slack.addMessage(SHARED_CHANNEL, "1700000540.000100", FakeSlack.USERS.get(0), "Welcome to the shared channel!");
        slack.addMessage(SHARED_CHANNEL, asked, SLACK_USER, "Our invoice export fails again, the ticket is open");
        slack.addReply(SHARED_CHANNEL, asked, reply, SLACK_USER, "It stops at 2 March");
        return new Seeded(
                account,
                contact,
                kase,
                hubspotContact,
                hubspotTicket,
                List.of(SHARED_CHANNEL + ":" + asked, SHARED_CHANNEL + ":" + reply));
    }

    /** The customer's HubSpot ticket among those the call found. */
    static Optional<Ticket> hubspotTicket(UnifiedRead read) {
        return read.tickets().stream()
                .map(t -> (Ticket) t.primary())
                .filter(t -> t.origin().connector().equals("hubspot"))
                .findFirst();
    }

    private static FieldMappings loadMappings() {
        try (InputStream in = UnifiedModelDemo.class.getClassLoader().getResourceAsStream(MAPPINGS)) {
            if (in == null) {
                throw new IllegalStateException(
                        MAPPINGS + " is not on the class path; it ships in examples/src/main/resources");
            }
            return FieldMappings.parse(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8), FieldMappings.Format.YAML);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MAPPINGS, e);
        }
    }

    /** The Slack messages related to {@code person} (she wrote them), oldest first. */
    private static List<Message> messagesOf(EntityGraph graph, LinkedEntity person) {
        return graph.related(person, EntityType.MESSAGE).stream()
                .map(g -> (Message) g.primary())
                .sorted(Comparator.comparing((Message m) -> m.sentAt().orElse(Instant.MIN)))
                .toList();
    }

    private static String name(LinkedEntity person) {
        return person.get(Person.NAME)
                .orElseGet(() -> person.get(Person.FIRST_NAME).orElse("") + " "
                        + person.get(Person.LAST_NAME).orElse(""));
    }

    /** {@code salesforce Contact 003...}: where an entity came from. */
    private static String source(Entity e) {
        Origin o = e.origin();
        return o.connector() + " " + o.object() + " " + o.sourceId();
    }

    /** {@code PENDING (hs_pipeline_stage "2")}: the unified code, and the vendor's own value. */
    private static String coded(Optional<? extends Value<? extends Coded<?>>> value) {
        return value.map(v -> v.value().code() + " (" + v.provenance().sourceField() + " \""
                        + v.value().raw() + "\")")
                .orElse("unknown");
    }

    /** A configured code, with the source's spelling: {@code DIRECT ("Customer - Direct")}. */
    private static String code(Object value) {
        return value instanceof Code c ? c.code() + " (\"" + c.raw() + "\")" : String.valueOf(value);
    }

    private static void printProvenance(PrintStream out, String what, Optional<? extends Value<?>> value) {
        value.map(Value::provenance)
                .ifPresent((Provenance p) -> out.printf(
                        "  provenance %-7s connector %s, object %s, id %s, source field %s, version %s%n",
                        what,
                        p.origin().connector(),
                        p.origin().object(),
                        p.origin().sourceId(),
                        p.sourceField(),
                        p.origin().sourceVersion()));
    }
}
