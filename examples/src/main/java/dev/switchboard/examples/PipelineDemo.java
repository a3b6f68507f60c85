package dev.switchboard.examples;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentDecision;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentRequest;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.oauth.ClientAuthMethod;
import dev.switchboard.oauth.OAuthClient;
import dev.switchboard.oauth.ProviderSettings;
import dev.switchboard.oauth.TokenManager;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A runnable tour of the HTTP pipeline and the governance around it, against a fake helpdesk
 * vendor in this JVM (no account needed). Run it with {@code ./mvnw -q -B -Pdemo -DskipTests verify}.
 *
 * <p>It reads the {@code tickets} stream through a 429, a revoked token (refreshed once, then the
 * request replayed) and a 503; shows the row-level policy withholding one ticket; resumes from the
 * checkpoint; lets the refreshed token (which lives a few seconds) come close to expiry, so that the
 * OAuth module's {@link TokenManager} refreshes it before the next read; runs the {@code add_comment}
 * action past schema validation and consent; reads one stream with each bundled connector
 * (Salesforce, HubSpot, Slack) from its fake in integrations-testkit ({@link BundledConnectorsDemo});
 * links one customer across the three into the unified model and asks for her tickets, enriched with
 * CRM data, in one call ({@link UnifiedModelDemo}); lets Salesforce retype a field mid-read and quarantines the records that drift ({@link SchemaDriftDemo});
 * reads a support database in an embedded PostgreSQL through the JDBC connector, from the read cache the
 * second time, and sees a change another application commits arrive through change data capture
 * ({@link SupportDatabaseDemo});
 * and ends with the helpdesk connection's audit trail, its {@code switchboard.*} metrics and what the
 * helpdesk vendor received.
 */
public final class PipelineDemo {
    static final String CONNECTION = "helpdesk-acme";
    static final String TRACE_ID = "4bf92f3577b34da6"; // the application's own trace id, carried into logs and audit

    /**
     * Refresh a token that expires within this window before sending it: half the 4-second token's lifetime, the
     * widest window a token gets (a wider one is cut to half the lifetime, so short tokens are not refreshed on
     * every call).
     */
    static final Duration REFRESH_WINDOW = Duration.ofSeconds(2);
    /** How long the agent "thinks" after the resumed read: long enough to bring the token into the window. */
    static final Duration THINKING = Duration.ofMillis(2500);

    /** A short backoff, so the demo is quick; a vendor's Retry-After (the helpdesk's 1 s) is honoured as sent. */
    static final HttpSettings QUICK_RETRIES = HttpSettings.custom()
            .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .maxTotalWait(Duration.ofSeconds(10))
            .build();

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private PipelineDemo() {}

    public static void main(String[] args) {
        run(System.out, Clock.systemUTC(), Sleeper.system());
    }

    /**
     * Runs the whole demo and returns what it observed.
     *
     * @param out where the story is told (the pipeline's own log lines go to SLF4J)
     * @param clock the Switchboard's clock
     * @param sleeper how the pipeline and the agent wait; the demo sleeps for real
     */
    static DemoSummary run(PrintStream out, Clock clock, Sleeper sleeper) {
        long started = System.nanoTime();
        out.println();
        out.println("Switchboard pipeline demo: a \"helpdesk\" connector against a fake vendor in this JVM, then the");
        out.println("bundled Salesforce, HubSpot and Slack connectors against the testkit's fakes");

        try (HelpdeskFake vendor =
                HelpdeskFake.start(line -> out.println(LocalTime.now().format(TIME) + " wire  " + line))) {
            // --- 1. Setup: the pieces an application wires together once. ---
            heading(out, "1. Setup");
            Principal user = Principal.user("u-42", HelpdeskFake.TENANT).withRoles("support");
            AgentContext context = new AgentContext(user, "demo-session", TRACE_ID);
            ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                    .connector(HelpdeskConnector.ID) // found on the class path by ServiceLoader
                    .baseUrl(vendor.baseUrl())
                    .settings(Map.of(HelpdeskConnector.TENANT_SETTING, HelpdeskFake.TENANT))
                    .build();

            // The stored token was revoked at the vendor: the first authenticated request will be rejected.
            String credentialKey = config.credentialKey(user);
            TokenStore tokens = TokenStore.inMemory(clock);
            tokens.compareAndSet(
                    credentialKey,
                    0,
                    Credential.builder(HelpdeskFake.REVOKED_TOKEN)
                            .refreshToken(HelpdeskFake.REFRESH_TOKEN)
                            .build());
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            InMemoryAuditSink audit = AuditSink.inMemory();
            // The OAuth module keeps the token fresh: refreshed after a rejection, and before it expires.
            ProviderSettings provider = ProviderSettings.builder(HelpdeskConnector.ID)
                    .authorizationEndpoint(
                            URI.create(vendor.baseUrl() + "/oauth/authorize")) // unused: the grant exists
                    .tokenEndpoint(URI.create(vendor.tokenUrl()))
                    .build();
            OAuthClient oauth = OAuthClient.builder(provider, HelpdeskFake.CLIENT_ID)
                    .clientSecret(HelpdeskFake.CLIENT_SECRET)
                    .authMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                    .clock(clock) // turns expires_in into an expiry
                    .build();
            TokenManager credentials = TokenManager.builder(oauth, tokens)
                    .refreshWindow(REFRESH_WINDOW)
                    .clock(clock)
                    .sleeper(sleeper)
                    .meters(meters)
                    .auditSink(audit)
                    .build();
            ReportingPolicy policy = new ReportingPolicy(AccessPolicy.rowLevel(), out);
            List<ConsentRequest> consented = new CopyOnWriteArrayList<>();
            // Every write waits for the person: the gate asks, the application records the answer in the
            // consent ledger, and the call made again with the same input consumes it once.
            ConsentGate consent = (ctx, request) -> {
                consented.add(request);
                return ConsentDecision.askUser(request.prompt());
            };

            try (Switchboard switchboard = Switchboard.builder()
                    .connection(config)
                    .credentialSource(credentials)
                    .accessPolicy(policy)
                    .consentGate(consent)
                    .auditSink(audit)
                    .meterRegistry(meters)
                    .httpSettings(QUICK_RETRIES)
                    .clock(clock)
                    .sleeper(sleeper)
                    .build()) {
                Connection helpdesk = switchboard.connection(CONNECTION);
                describe(out, helpdesk, vendor, user, oauth);

                // --- 2. A full read, page by page, through everything the vendor throws at it. ---
                heading(out, "2. Read \"tickets\" from the start, 2 per page");
                List<String> delivered = new ArrayList<>();
                Checkpoint checkpoint;
                try (RecordStream tickets =
                        helpdesk.read(context, ReadRequest.of("tickets").pageSize(2))) {
                    for (Record ticket : tickets) {
                        delivered.add(ticket.id());
                        printRecord(out, ticket, user);
                    }
                    checkpoint = tickets.checkpoint(); // save this; it covers the withheld ticket too
                }
                out.printf(
                        "  => %d delivered, %d withheld by the row-level policy %s%n",
                        delivered.size(), policy.withheld().size(), policy.withheld());
                Position position = checkpoint.position().orElseThrow();
                out.printf(
                        "  checkpoint %s%n             = after updated_at %s, id %s%n",
                        checkpoint.value(), position.cursor(), position.id());

                // --- 3. Later: resume from the saved checkpoint and get only what changed. ---
                heading(out, "3. Resume from the checkpoint");
                List<String> resumed = new ArrayList<>();
                Checkpoint resumedCheckpoint;
                try (RecordStream changes = helpdesk.read(
                        context, ReadRequest.of("tickets").pageSize(2).since(checkpoint))) {
                    for (Record ticket : changes) {
                        resumed.add(ticket.id());
                        printRecord(out, ticket, user);
                    }
                    resumedCheckpoint = changes.checkpoint();
                }
                out.printf(
                        "  => %d new; a ticket with the checkpoint's own updated_at is found by the tie-break on id%n",
                        resumed.size());

                // --- 4. The token the refresh handed out lives a few seconds: it comes close to expiry mid-run. ---
                heading(out, "4. The token expires mid-run");
                Credential expiring = tokens.load(credentialKey).orElseThrow();
                out.printf(
                        "  token      version %d expires in %s; the TokenManager refreshes within %s of expiry%n",
                        expiring.version(), untilExpiry(expiring, clock), seconds(REFRESH_WINDOW));
                out.printf("  agent      thinks for %s%n", seconds(THINKING));
                try {
                    sleeper.sleep(THINKING); // real time in main, virtual time in the test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the agent was thinking", e);
                }
                out.printf(
                        "  token      version %d now expires in %s: inside the window, so it is refreshed before the%n"
                                + "             next request is sent (no 401), with the rotated refresh token%n",
                        expiring.version(), untilExpiry(expiring, clock));
                int exchangesBefore = vendor.exchanges().size();
                List<String> afterExpiry = new ArrayList<>();
                try (RecordStream changes = helpdesk.read(
                        context, ReadRequest.of("tickets").pageSize(2).since(resumedCheckpoint))) {
                    for (Record ticket : changes) {
                        afterExpiry.add(ticket.id());
                        printRecord(out, ticket, user);
                    }
                }
                List<HelpdeskFake.Exchange> expiryExchanges = List.copyOf(vendor.exchanges()
                        .subList(exchangesBefore, vendor.exchanges().size()));
                Credential refreshed = tokens.load(credentialKey).orElseThrow();
                out.printf(
                        "  => %d new; token version %d stored (expires in %s), the refresh token rotated again%n",
                        afterExpiry.size(), refreshed.version(), untilExpiry(refreshed, clock));

                // --- 5. An action that writes: schema first, then policy, consent, and the request. ---
                heading(out, "5. Run action \"add_comment\"");
                out.println("  the agent forgets the comment body:");
                NextStep invalidInputStep;
                try {
                    helpdesk.execute(context, "add_comment", Map.of("ticket_id", "T-1002"));
                    throw new IllegalStateException(
                            "the action's JSON Schema should have refused input without a body");
                } catch (SwitchboardException e) {
                    invalidInputStep = e.nextStep();
                    List<String> problems =
                            e instanceof InvalidInputException invalid ? invalid.violations() : List.of();
                    out.printf(
                            "  refused    %s, next step %s: %s (nothing was sent)%n",
                            e.getClass().getSimpleName(), e.nextStep(), problems);
                }
                // Agent memory follows the tickets it may have read: a system principal's change feed.
                List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
                Subscription memory = switchboard.subscribe(
                        AgentContext.of(Principal.system("memory")),
                        ChangeRequest.builder("memory", CONNECTION)
                                .streams("tickets")
                                .manual()
                                .build(),
                        event -> {
                            heard.add(event);
                            out.printf(
                                    "  memory     heard %s %s %s/%s: forgets it%n",
                                    event.origin(), event.op(), event.stream(), event.recordId());
                        });
                JsonObject comment = JsonObject.builder()
                        .put("ticket_id", "T-1002")
                        .put("body", "Refund approved; you will see it within 3 days.")
                        .build();
                out.println("  the agent corrects its arguments:");
                String requestId;
                try {
                    helpdesk.execute(context, "add_comment", comment);
                    throw new IllegalStateException("the consent gate should have asked the user first");
                } catch (ConsentRequiredException e) {
                    requestId = e.requestId();
                    out.printf(
                            "  refused    %s, next step %s (nothing was sent)%n",
                            e.getClass().getSimpleName(), e.nextStep());
                    out.printf("  the app    asks %s: \"%s\"%n", user.userId(), e.prompt());
                }
                switchboard.consent().approve(requestId);
                out.printf("  the app    records the user's approval of request %s, for this input, once%n", requestId);
                out.println("  the agent calls again with the same input:");
                ActionResult result = helpdesk.execute(context, "add_comment", comment);
                out.printf("  result     %s; affected %s%n", result.output().toJson(), result.affected());
                memory.close();

                // --- 6. The bundled connectors, each against its fake from the testkit. ---
                heading(out, "6. The bundled connectors: Salesforce, HubSpot and Slack against the testkit's fakes");
                BundledConnectorsDemo.BundledReads bundled = BundledConnectorsDemo.run(out, context, clock, sleeper);

                // --- 7. The unified model: one customer across the three vendors, her tickets in one call. ---
                heading(
                        out,
                        "7. The unified model: one customer in Salesforce, HubSpot and Slack, her tickets in one call");
                UnifiedModelDemo.UnifiedRead unified = UnifiedModelDemo.run(out, context, clock, sleeper);

                // --- 8. Schema drift: the vendor retypes a field mid-read. ---
                heading(
                        out,
                        "8. Schema drift: Salesforce retypes a field mid-read, the affected records are quarantined");
                SchemaDriftDemo.DriftRead drift = SchemaDriftDemo.run(out, context, clock, sleeper);

                // --- 9. The company's own database: read, cached, and kept fresh by change data capture. ---
                heading(
                        out,
                        "9. The support database: embedded PostgreSQL through the JDBC connector, cached, kept fresh by"
                                + " its change feed");
                SupportDatabaseDemo.SupportRead support = SupportDatabaseDemo.run(out);

                // --- 10. Governance: two users, one question; the audit trail on disk, verified. ---
                heading(
                        out,
                        "10. Governance: the same question for two users, every decision in a tamper-evident audit"
                                + " log, verified");
                GovernanceDemo.GovernanceRun governance = GovernanceDemo.run(out, config, credentials, clock, sleeper);

                // --- 11-13. What was recorded along the way (by the helpdesk connection). ---
                heading(out, "11. Audit trail of the helpdesk connection (in-memory sink)");
                for (AuditEvent e : audit.events()) {
                    out.printf(
                            "  %-7s %-9s %-11s user=%s trace=%s ids=%s  %s%n",
                            e.kind(), e.outcome(), e.operation(), e.userId(), e.traceId(), e.recordIds(), e.detail());
                }
                heading(
                        out,
                        "12. Metrics of the helpdesk connection (switchboard.*; connector and connection tags left out)");
                printMetrics(out, meters);
                heading(out, "13. Requests the fake helpdesk received");
                Map<String, List<Integer>> vendorStatuses = vendor.statusesByEndpoint();
                vendorStatuses.forEach((endpoint, statuses) -> out.printf(
                        "  %-36s %d  %s%n",
                        endpoint,
                        statuses.size(),
                        statuses.stream().map(String::valueOf).collect(Collectors.joining(" "))));

                out.println();
                out.printf(
                        "Done in %.1f s. Closing the Switchboard and stopping the fake vendor.%n",
                        (System.nanoTime() - started) / 1e9);
                return new DemoSummary(
                        List.copyOf(delivered),
                        policy.withheld(),
                        checkpoint,
                        List.copyOf(resumed),
                        List.copyOf(afterExpiry),
                        expiryExchanges,
                        refreshed.version(),
                        invalidInputStep,
                        List.copyOf(consented),
                        requestId,
                        List.copyOf(heard),
                        result.output(),
                        audit.events(),
                        vendorStatuses,
                        meters,
                        bundled,
                        unified,
                        drift,
                        support,
                        governance);
            }
        }
    }

    private static void heading(PrintStream out, String title) {
        out.println();
        out.println("== " + title + " ==");
    }

    private static String seconds(Duration d) {
        return d.compareTo(Duration.ofMinutes(1)) >= 0
                ? d.toSeconds() + " s"
                : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String untilExpiry(Credential credential, Clock clock) {
        return credential
                .expiresAt()
                .map(at -> seconds(Duration.between(clock.instant(), at)))
                .orElse("(no expiry)");
    }

    private static void describe(
            PrintStream out, Connection connection, HelpdeskFake vendor, Principal user, OAuthClient oauth) {
        out.printf("  vendor     fake helpdesk (WireMock) at %s%n", vendor.baseUrl());
        out.printf(
                "  connection %s -> connector %s, token mode %s%n",
                connection.id(),
                connection.descriptor().id(),
                connection.config().tokenMode());
        for (StreamDescriptor s : connection.descriptor().streams()) {
            out.printf(
                    "  stream     %s: primary key %s, incremental on %s%n", s.name(), s.primaryKey(), s.cursorField());
        }
        for (ActionDescriptor a : connection.descriptor().actions()) {
            out.printf(
                    "  action     %s: %s, %s, %s%n",
                    a.name(),
                    a.effect(),
                    a.effect().needsConsent() ? "needs consent" : "no consent needed",
                    a.retrySafe() ? "retry-safe" : "not retry-safe");
        }
        out.printf(
                "  token      version 1 stored for '%s' (revoked at the vendor; the refresh token still works)%n",
                connection.config().credentialKey(user));
        out.printf(
                "  oauth      TokenManager over OAuthClient (client_secret_basic) at %s, refresh window %s%n",
                oauth.provider().tokenEndpoint().getPath(), seconds(REFRESH_WINDOW));
        out.printf(
                "  agent      acts for %s, tenant %s, roles %s, trace %s%n",
                user.userId(), user.tenantId(), user.roles(), TRACE_ID);
    }

    private static void printRecord(PrintStream out, Record ticket, Principal user) {
        out.printf(
                "  record     %s  %s  %-7s %-28s (%s)%n",
                ticket.id(),
                ticket.data().string("updated_at"),
                ticket.data().string("status"),
                ticket.data().string("subject"),
                whyVisible(ticket.acl(), user));
    }

    /** Which rule of {@link AccessPolicy#rowLevel()} let the user see the record. */
    private static String whyVisible(@Nullable Acl acl, Principal user) {
        if (acl == null) {
            return "no ACL";
        }
        if (acl.visibility() == Visibility.PUBLIC) {
            return "public";
        }
        if (acl.visibility() == Visibility.TENANT) {
            return "tenant-wide";
        }
        if (user.userId().equals(acl.owner())) {
            return "private, owned by " + user.userId();
        }
        Set<String> shared = acl.roles().stream().filter(user.roles()::contains).collect(Collectors.toSet());
        return "private to " + acl.owner() + ", readable by role " + String.join(",", shared);
    }

    private static void printMetrics(PrintStream out, MeterRegistry meters) {
        List<Meter> ours = meters.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("switchboard."))
                .sorted(Comparator.comparing((Meter m) -> m.getId().getName()).thenComparing(m -> tags(m)))
                .toList();
        out.printf("  %-34s %-38s %5s %9s%n", "meter", "tags", "count", "total");
        for (Meter m : ours) {
            String count;
            String total = "";
            if (m instanceof Timer t) {
                count = Long.toString(t.count());
                total = Math.round(t.totalTime(TimeUnit.MILLISECONDS)) + " ms";
            } else if (m instanceof Counter c) {
                count = Long.toString(Math.round(c.count()));
            } else {
                continue;
            }
            out.printf("  %-34s %-38s %5s %9s%n", m.getId().getName(), tags(m), count, total);
        }
    }

    /** A meter's tags, without the connector and connection every pipeline meter carries. */
    private static String tags(Meter m) {
        return m.getId().getTags().stream()
                .filter(t -> !t.getKey().equals("connector") && !t.getKey().equals("connection"))
                .map(t -> t.getKey() + "=" + t.getValue())
                .collect(Collectors.joining(" "));
    }

    /** Delegates to a policy and tells the story of each record it withholds. */
    private static final class ReportingPolicy implements AccessPolicy {
        private final AccessPolicy delegate;
        private final PrintStream out;
        private final List<String> withheld = new CopyOnWriteArrayList<>();

        ReportingPolicy(AccessPolicy delegate, PrintStream out) {
            this.delegate = delegate;
            this.out = out;
        }

        @Override
        public AccessDecision authorize(AgentContext context, Operation operation) {
            return delegate.authorize(context, operation);
        }

        @Override
        public @Nullable Record filter(AgentContext context, Record record) {
            Record visible = delegate.filter(context, record);
            if (visible == null) {
                withheld.add(record.id());
                Acl acl = record.acl();
                out.printf(
                        "  withheld   %s  (%s; %s is not the owner and holds none of its roles)%n",
                        record.id(),
                        acl == null
                                ? "no ACL"
                                : acl.visibility().name().toLowerCase(Locale.ROOT) + " to " + acl.owner(),
                        context.principal().userId());
            }
            return visible;
        }

        List<String> withheld() {
            return List.copyOf(withheld);
        }
    }
}
