package dev.switchboard.examples;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.connectors.slack.SlackConnector;
import dev.switchboard.connectors.slack.SlackSettings;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Step 6 of the demo: the three bundled connectors (Salesforce, HubSpot, Slack), found by
 * {@code ServiceLoader}, each reading one stream from its fake in integrations-testkit, started in
 * this JVM. The connections are configured as the connectors' contract tests configure them: the
 * fakes accept {@link VendorFake#ACCESS_TOKEN}, which sits in a {@link TokenStore}, and Salesforce's
 * credential names the instance every request goes to ({@code instance_url}).
 */
final class BundledConnectorsDemo {
    static final String SALESFORCE = "salesforce-acme";
    static final String HUBSPOT = "hubspot-acme";
    static final String SLACK = "slack-acme";
    /**
     * The HubSpot portal (hub id) of the connection. FakeHubSpot plays a single portal and checks no
     * portal id (it has no constant for one), so any numeric id fits; this is the one the connector's
     * own tests use.
     */
    static final String HUBSPOT_PORTAL = "62515";
    /** The channels of FakeSlack's seed the bot is a member of: the ones a {@code messages} read covers. */
    static final List<String> SLACK_MEMBER_CHANNELS = List.of(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);

    private BundledConnectorsDemo() {}

    /**
     * What one connection read from its fake.
     *
     * @param connection the connection id
     * @param stream the stream read
     * @param records the records delivered, in order
     * @param checkpoint the checkpoint after the read
     * @param requests how many requests the fake had received when the read was over
     * @param audit the audit events of the read
     */
    record VendorRead(
            String connection,
            String stream,
            List<Record> records,
            Checkpoint checkpoint,
            int requests,
            List<AuditEvent> audit) {
        /** The ids of the records delivered, in order. */
        List<String> ids() {
            return records.stream().map(Record::id).toList();
        }

        /** The tenants of the records' ACLs ({@code (none)} for a record without one), in order first met. */
        List<String> aclTenants() {
            return records.stream()
                    .map(r -> r.acl() == null ? "(none)" : r.acl().tenant())
                    .distinct()
                    .toList();
        }
    }

    /**
     * The three reads, and the fakes they read from (stopped, but still answering questions about
     * their data and the requests they received).
     */
    record BundledReads(
            FakeSalesforce salesforce,
            VendorRead salesforceCases,
            FakeHubSpot hubspot,
            VendorRead hubspotTickets,
            FakeSlack slack,
            VendorRead slackMessages) {}

    /**
     * The three fakes, started in this JVM; closing stops them (they still answer questions about
     * their data and the requests they received).
     */
    record Fakes(FakeSalesforce salesforce, FakeHubSpot hubspot, FakeSlack slack) implements AutoCloseable {
        static Fakes start() {
            Fakes fakes = new Fakes(new FakeSalesforce(), new FakeHubSpot(), new FakeSlack());
            try {
                fakes.salesforce.start();
                fakes.hubspot.start();
                fakes.slack.start();
            } catch (RuntimeException e) {
                fakes.close();
                throw e;
            }
            return fakes;
        }

        /**
         * A Switchboard with one connection to each fake ({@link #SALESFORCE}, {@link #HUBSPOT},
         * {@link #SLACK}), configured as the connectors' contract tests configure them, auditing into
         * {@code audit}.
         */
        Switchboard connect(AgentContext context, InMemoryAuditSink audit, Clock clock, Sleeper sleeper) {
            return BundledConnectorsDemo.connect(salesforce, hubspot, slack, context, audit, clock, sleeper);
        }

        /** Stops all three, even if one fails to stop. */
        @Override
        public void close() {
            try {
                salesforce.close();
            } finally {
                try {
                    hubspot.close();
                } finally {
                    slack.close();
                }
            }
        }
    }

    static BundledReads run(PrintStream out, AgentContext context, Clock clock, Sleeper sleeper) {
        try (Fakes fakes = Fakes.start()) {
            FakeSalesforce salesforce = fakes.salesforce();
            FakeHubSpot hubspot = fakes.hubspot();
            FakeSlack slack = fakes.slack();
            out.printf(
                    "  fakes      FakeSalesforce on %s, FakeHubSpot on %s, FakeSlack on %s (integrations-testkit, in this JVM)%n",
                    port(salesforce), port(hubspot), port(slack));

            InMemoryAuditSink audit = AuditSink.inMemory();
            try (Switchboard switchboard = fakes.connect(context, audit, clock, sleeper)) {
                VendorRead cases = read(
                        out,
                        switchboard.connection(SALESFORCE),
                        context,
                        "Case",
                        salesforce,
                        audit,
                        "org_id " + FakeSalesforce.ORG_ID + ", base URL from the credential's instance_url",
                        salesforce.records("Case").size(),
                        "CaseNumber",
                        "Status",
                        "Subject");
                VendorRead tickets = read(
                        out,
                        switchboard.connection(HUBSPOT),
                        context,
                        "tickets",
                        hubspot,
                        audit,
                        "portalId " + HUBSPOT_PORTAL,
                        hubspot.count("tickets"),
                        "subject",
                        "hs_ticket_priority");
                VendorRead messages = read(
                        out,
                        switchboard.connection(SLACK),
                        context,
                        "messages",
                        slack,
                        audit,
                        "team_id " + FakeSlack.TEAM_ID,
                        SLACK_MEMBER_CHANNELS.stream()
                                .mapToInt(c -> slack.messages(c).size())
                                .sum(),
                        "user",
                        "text");
                return new BundledReads(salesforce, cases, hubspot, tickets, slack, messages);
            }
        }
    }

    private static Switchboard connect(
            FakeSalesforce salesforce,
            FakeHubSpot hubspot,
            FakeSlack slack,
            AgentContext context,
            InMemoryAuditSink audit,
            Clock clock,
            Sleeper sleeper) {
        ConnectionConfig salesforceConfig = ConnectionConfig.builder(SALESFORCE)
                .connector(SalesforceConnector.ID)
                // Only a fallback: Salesforce requests go to the credential's instance_url (below).
                .baseUrl(salesforce.baseUrl())
                .settings(Map.of(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID))
                .build();
        ConnectionConfig hubspotConfig = ConnectionConfig.builder(HUBSPOT)
                .connector("hubspot")
                .baseUrl(hubspot.baseUrl())
                .settings(Map.of(HubSpotConnector.PORTAL_ID, HUBSPOT_PORTAL))
                .build();
        ConnectionConfig slackConfig = ConnectionConfig.builder(SLACK)
                .connector(SlackConnector.ID)
                .baseUrl(slack.baseUrl())
                .settings(Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID))
                .build();

        // The grants an OAuth flow would have stored (shared service tokens). The fakes accept
        // VendorFake.ACCESS_TOKEN; Salesforce's token response also names the org's instance.
        TokenStore tokens = TokenStore.inMemory(clock);
        tokens.compareAndSet(
                salesforceConfig.credentialKey(context.principal()),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN)
                        .attributes(Map.of(SalesforceConnector.INSTANCE_URL, salesforce.baseUrl()))
                        .build());
        tokens.compareAndSet(
                hubspotConfig.credentialKey(context.principal()),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN).build());
        tokens.compareAndSet(
                slackConfig.credentialKey(context.principal()),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN).build());
        return Switchboard.builder() // the three connectors are found by ServiceLoader
                .connection(salesforceConfig)
                .connection(hubspotConfig)
                .connection(slackConfig)
                .tokenStore(tokens) // no refresher: the fakes' token does not expire
                // allowAll, not rowLevel(): each vendor's records carry an ACL whose tenant is the vendor's
                // own account (the Salesforce org id, the HubSpot portal, the Slack team id), and the seeded
                // Salesforce Cases are private to the fake's API user. The agent's principal (u-42 of tenant
                // acme) matches none of them, so rowLevel() would withhold every record. An application maps
                // its users onto each vendor's accounts in a policy of its own; this step shows the
                // connectors reading everything the fakes hold, so it allows all (a demo-only policy). Reads
                // still go through it: authorized, filtered and audited.
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .meterRegistry(new SimpleMeterRegistry())
                .httpSettings(PipelineDemo.QUICK_RETRIES)
                .clock(clock)
                .sleeper(sleeper)
                .build();
    }

    private static VendorRead read(
            PrintStream out,
            Connection connection,
            AgentContext context,
            String streamName,
            VendorFake fake,
            InMemoryAuditSink audit,
            String settings,
            int held,
            String... fields) {
        out.printf(
                "  connection %s -> connector %s, %s%n",
                connection.id(), connection.descriptor().id(), settings);
        int auditBefore = audit.events().size();
        List<Record> records = new ArrayList<>();
        Checkpoint checkpoint;
        try (RecordStream stream = connection.read(context, ReadRequest.of(streamName))) {
            stream.forEach(records::add);
            checkpoint = stream.checkpoint();
        }
        VendorRead read = new VendorRead(
                connection.id(),
                streamName,
                List.copyOf(records),
                checkpoint,
                fake.requests().size(),
                List.copyOf(audit.events().subList(auditBefore, audit.events().size())));
        out.printf(
                "  read       %s: %d records (the fake holds %d), ACL tenant %s%n",
                streamName, records.size(), held, String.join(", ", read.aclTenants()));
        if (!records.isEmpty()) {
            Record sample = records.get(0);
            JsonObject.Builder shown = JsonObject.builder();
            for (String field : fields) {
                JsonValue value = sample.data().get(field);
                shown.put(field, value == null ? JsonNull.INSTANCE : value);
            }
            out.printf("  record     %s  %s%n", sample.id(), shown.build().toJson());
        }
        out.printf(
                "  checkpoint %s%n",
                checkpoint
                        .position()
                        .map(p -> "after " + cursorName(connection, streamName) + " " + p.cursor() + ", id " + p.id())
                        // A stream of several partitions (Slack: one per channel) has a position in each.
                        .orElse(
                                checkpoint.positions().isEmpty()
                                        ? "(no position)"
                                        : "after " + cursorName(connection, streamName) + " per partition "
                                                + checkpoint.positions().values().stream()
                                                        .map(p -> p.partition() + "=" + p.cursor())
                                                        .sorted()
                                                        .toList()));
        List<FakeRequest> requests = fake.requests();
        out.printf(
                "  requests   %d received (%d answered 200): %s%n",
                requests.size(), fake.responseCount(200), endpoints(requests));
        return read;
    }

    private static String cursorName(Connection connection, String stream) {
        return connection.descriptor().stream(stream)
                .map(s -> String.valueOf(s.cursorField()))
                .orElse("?");
    }

    /** {@code GET /api/conversations.history x3, ...}: each endpoint once, in the order first met. */
    private static String endpoints(List<FakeRequest> requests) {
        Map<String, Long> counts = requests.stream()
                .collect(Collectors.groupingBy(
                        r -> r.method() + " " + r.path(), LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .map(e -> e.getKey() + (e.getValue() > 1 ? " x" + e.getValue() : ""))
                .collect(Collectors.joining(", "));
    }

    /** The fake's local port, e.g. {@code :51234}. */
    private static String port(VendorFake fake) {
        String url = fake.baseUrl();
        return url.substring(url.lastIndexOf(':'));
    }
}
