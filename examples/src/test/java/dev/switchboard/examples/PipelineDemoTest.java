package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditEvent.Kind;
import dev.switchboard.core.governance.AuditEvent.Outcome;
import dev.switchboard.core.governance.ConsentRequest;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.examples.BundledConnectorsDemo.BundledReads;
import dev.switchboard.examples.BundledConnectorsDemo.VendorRead;
import dev.switchboard.examples.UnifiedModelDemo.Seeded;
import dev.switchboard.examples.UnifiedModelDemo.UnifiedRead;
import dev.switchboard.normalize.Code;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Link;
import dev.switchboard.normalize.LinkedEntity;
import dev.switchboard.normalize.Money;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Organization;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.Ticket;
import dev.switchboard.normalize.Value;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole demo once, in virtual time (the pipeline's waits advance a {@link ManualClock}),
 * against its fake vendor, and checks what really happened: on the wire, in the records, in the
 * audit trail, in the meters and in the logs.
 */
class PipelineDemoTest {
    private static final List<String> SECRETS = List.of(
            HelpdeskFake.REVOKED_TOKEN,
            HelpdeskFake.FRESH_TOKEN,
            HelpdeskFake.NEXT_TOKEN,
            HelpdeskFake.REFRESH_TOKEN,
            HelpdeskFake.ROTATED_REFRESH_TOKEN,
            HelpdeskFake.NEXT_REFRESH_TOKEN,
            HelpdeskFake.CLIENT_SECRET);

    private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private static final Logger ours = (Logger) LoggerFactory.getLogger("dev.switchboard");
    private static final ManualClock clock = ManualClock.at(Instant.parse("2025-03-03T12:00:00Z"));
    private static DemoSummary summary;
    private static String story;

    @BeforeAll
    static void runDemo() {
        logs.start();
        ours.addAppender(logs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            summary = PipelineDemo.run(print, clock, clock.sleeper());
        }
        story = out.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopCapture() {
        ours.detachAppender(logs);
        logs.stop();
    }

    @Test
    void theVendorSawEachFailureOnceAndOneRefreshPerToken() {
        assertThat(summary.vendorStatuses())
                .containsExactly(
                        // 429, then 401 (revoked token) and the replay's 503, then page 1, pages 2 and 3, two resumed
                        // reads, then the governance step's two full reads of three pages each:
                        // the only 401 is the revoked token's
                        Map.entry(
                                "GET /api/tickets",
                                List.of(429, 401, 503, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
                        // after the 401, then before the token expired
                        Map.entry("POST /oauth/token", List.of(200, 200)),
                        // one comment: the invalid call sent nothing, and the valid one was sent once
                        Map.entry("POST /api/tickets/T-1002/comments", List.of(201)));
    }

    @Test
    void twoUsersGetDifferentAnswersAndTheVerifierCatchesTheEditedLine() {
        GovernanceDemo.GovernanceRun run = summary.governance();
        // The row rule: T-1002 is private to Ana, T-1003 to Ben; both see the tenant's and the public tickets.
        assertThat(run.anaSees()).contains("T-1001", "T-1002", "T-1005").doesNotContain("T-1003");
        assertThat(run.benSees()).contains("T-1001", "T-1003", "T-1005").doesNotContain("T-1002");
        // The policy file's field rule: contractors are not shown who owns a ticket.
        assertThat(run.benFields()).contains("id", "subject").doesNotContain("owner", "roles");
        assertThat(run.benDenied()).contains("role contractor may not run action helpdesk-acme/add_comment");
        // Both reads and the refusal were chained; the log as written verifies, under signed checkpoints.
        assertThat(run.entries()).isGreaterThanOrEqualTo(3);
        assertThat(run.checkpoints()).isNotEmpty();
        assertThat(run.checkpoints().get(run.checkpoints().size() - 1).seq()).isEqualTo(run.entries());
        assertThat(run.verified().ok()).isTrue();
        assertThat(run.verified().verified()).containsEntry(GovernanceDemo.WRITER, run.entries());
        // The copy with the denial turned into an allowance is caught at exactly that entry.
        assertThat(run.tampered().ok()).isFalse();
        assertThat(run.tampered().breakOf(GovernanceDemo.WRITER)).hasValueSatisfying(b -> {
            assertThat(b.kind()).isEqualTo(dev.switchboard.core.audit.AuditReport.Kind.MODIFIED);
            assertThat(b.seq()).isEqualTo(run.editedSeq());
        });
        assertThat(story).contains("== 10. Governance").contains("verify     the copy: BROKEN at entry");
    }

    @Test
    void thePipelineWaitedTheServersRetryAfterThenAShortBackoffAndTheAgentThought() {
        // The helpdesk connection's own waits (the bundled connectors' budget waits are theirs).
        Duration slept = Duration.ofNanos((long) summary.meters().find("switchboard.http.waits").timers().stream()
                .mapToDouble(t -> t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .sum());
        assertThat(slept).isGreaterThanOrEqualTo(Duration.ofSeconds(1)); // Retry-After: 1
        assertThat(slept).isLessThanOrEqualTo(Duration.ofMillis(1500)); // + one backoff, capped at 500 ms
        assertThat(clock.totalSlept()).isGreaterThanOrEqualTo(slept.plus(PipelineDemo.THINKING));
        assertThat(summary.count("switchboard.http.waits", "kind", "server")).isEqualTo(1);
        assertThat(summary.count("switchboard.http.waits", "kind", "backoff")).isEqualTo(1);
    }

    @Test
    void theRevokedTokenWasRefreshedOnceAndTheRequestReplayed() {
        // one refresh after the 401, one before expiry (see the next test); nothing failed or was superseded
        assertThat(summary.count("switchboard.credential.refreshes", "outcome", "refreshed"))
                .isEqualTo(2);
        assertThat(summary.count("switchboard.credential.refreshes")).isEqualTo(2);
        assertThat(summary.count("switchboard.http.auth.replays")).isEqualTo(1);
        assertThat(summary.count("switchboard.http.retries", "reason", "THROTTLED"))
                .isEqualTo(1);
        assertThat(summary.count("switchboard.http.retries", "reason", "TRANSIENT"))
                .isEqualTo(1);
        assertThat(summary.count("switchboard.http.retries")).isEqualTo(2);
        assertThat(summary.count("switchboard.http.throttled", "scope", "HTTP_429"))
                .isEqualTo(1);
        assertThat(summary.count("switchboard.http.requests", "method", "GET", "status", "200", "outcome", "OK"))
                .isEqualTo(5);
        assertThat(summary.count("switchboard.http.requests", "status", "401")).isEqualTo(1);
        assertThat(summary.count("switchboard.http.requests", "method", "POST", "status", "201", "outcome", "OK"))
                .isEqualTo(1);
    }

    @Test
    void theExpiringTokenWasRefreshedOnceBeforeTheNextReadWithTheRotatedRefreshToken() {
        // exactly one token request, with refresh token v2 (the rotated one), before the read; no 401
        assertThat(summary.expiryExchanges())
                .extracting(Object::toString)
                .containsExactly("POST /oauth/token rt v2 200", "GET /api/tickets token v3 200");
        assertThat(summary.afterExpiry()).containsExactly("T-1008");
        assertThat(summary.credentialVersion()).isEqualTo(3);
        assertThat(summary.count("switchboard.http.auth.replays")).isEqualTo(1); // the revoked token's only
    }

    @Test
    void theRowLevelPolicyWithheldTheTicketPrivateToAnotherUser() {
        assertThat(summary.delivered()).containsExactly("T-1001", "T-1002", "T-1004", "T-1005", "T-1006");
        assertThat(summary.withheld()).containsExactly("T-1003");
    }

    @Test
    void theCheckpointCoversTheLastRecordAndTheResumeFindsTheTiedOne() {
        assertThat(summary.checkpoint().position()).contains(Position.of("2025-03-03T11:45:00Z", "T-1006"));
        assertThat(Checkpoint.parse(summary.checkpoint().value())).isEqualTo(summary.checkpoint());
        assertThat(summary.resumed()).containsExactly("T-1007");
    }

    @Test
    void theActionWasValidatedThenConsentedThenRunOnce() {
        assertThat(summary.invalidInputStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(summary.consented()).singleElement().satisfies((ConsentRequest request) -> {
            assertThat(request.action()).isEqualTo("add_comment");
            assertThat(request.effect()).isEqualTo(Effect.WRITE);
            assertThat(request.input().string("ticket_id")).isEqualTo("T-1002");
        });
        assertThat(summary.actionOutput().string("comment_id")).isEqualTo(HelpdeskFake.COMMENT_ID);
        assertThat(summary.actionOutput().string("ticket_id")).isEqualTo("T-1002");
        assertThat(summary.vendorStatuses().get("POST /api/tickets/T-1002/comments"))
                .as("refused until the user approved, then sent once")
                .containsExactly(201);
    }

    @Test
    void theAgentsOwnWriteReachedTheMemorySubscriberBeforeTheActionReturned() {
        assertThat(summary.memoryHeard())
                .extracting(ChangeEvent::origin, ChangeEvent::op, ChangeEvent::stream, ChangeEvent::recordId)
                .containsExactly(tuple(ChangeEvent.Origin.WRITE, ChangeEvent.Op.UPSERT, "tickets", "T-1002"));
    }

    @Test
    void theAuditTrailHasEveryDecisionInOrderUnderTheCallersTrace() {
        List<AuditEvent> callers = summary.audit().stream()
                .filter(e -> e.traceId().equals(PipelineDemo.TRACE_ID))
                .toList();
        assertThat(callers)
                .extracting(AuditEvent::kind, AuditEvent::outcome, AuditEvent::operation)
                .containsExactly(
                        tuple(Kind.ACCESS, Outcome.ALLOWED, "tickets"),
                        tuple(Kind.READ, Outcome.SUCCEEDED, "tickets"),
                        tuple(Kind.ACCESS, Outcome.ALLOWED, "tickets"),
                        tuple(Kind.READ, Outcome.SUCCEEDED, "tickets"),
                        tuple(Kind.ACCESS, Outcome.ALLOWED, "tickets"),
                        tuple(Kind.READ, Outcome.SUCCEEDED, "tickets"),
                        tuple(Kind.ACCESS, Outcome.ALLOWED, "add_comment"),
                        tuple(Kind.CONSENT, Outcome.PENDING, "add_comment"),
                        tuple(Kind.ACCESS, Outcome.ALLOWED, "add_comment"),
                        tuple(Kind.CONSENT, Outcome.ALLOWED, "add_comment"),
                        tuple(Kind.WRITE, Outcome.SUCCEEDED, "add_comment"));
        assertThat(callers.get(1).recordIds()).isEqualTo(summary.delivered());
        assertThat(callers.get(3).recordIds()).isEqualTo(summary.resumed());
        assertThat(callers.get(5).recordIds()).isEqualTo(summary.afterExpiry());
        assertThat(callers.get(7).detail()).contains(summary.consentRequestId());
        assertThat(callers.get(9).detail()).contains("approved once by a person", summary.consentRequestId());
        assertThat(callers.get(10).recordIds()).containsExactly("tickets/T-1002");
        assertThat(callers).allSatisfy(e -> {
            assertThat(e.userId()).isEqualTo("u-42");
            assertThat(e.sessionId()).isEqualTo("demo-session");
        });
        // Outside the caller's trace: the user's decision (recorded by the application), the memory feed's
        // subscription, and the credential refreshes of the token manager.
        assertThat(summary.audit())
                .filteredOn(e -> !e.traceId().equals(PipelineDemo.TRACE_ID))
                .extracting(AuditEvent::kind, AuditEvent::outcome)
                .contains(
                        tuple(Kind.CONSENT, Outcome.ALLOWED),
                        tuple(Kind.SUBSCRIBE, Outcome.ALLOWED),
                        tuple(Kind.AUTH, Outcome.SUCCEEDED));
    }

    @Test
    void logLinesCarryTheTraceAndNoSecretAppearsAnywhere() {
        List<ILoggingEvent> events = logs.list;
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getFormattedMessage()).contains("refreshing and replaying once");
            assertThat(e.getMDCPropertyMap())
                    .containsEntry("traceId", PipelineDemo.TRACE_ID)
                    .containsEntry("connection", PipelineDemo.CONNECTION);
        });
        for (String secret : SECRETS) {
            assertThat(story).doesNotContain(secret);
            assertThat(events)
                    .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(secret));
        }
    }

    @Test
    void theStoryNamesWhatHappened() {
        assertThat(story)
                .contains("withheld   T-1003")
                .contains("=> 5 delivered, 1 withheld")
                .contains("refused    InvalidInputException, next step FIX_INPUT")
                .contains("== 4. The token expires mid-run ==")
                .containsPattern("POST /oauth/token +rt v2 +-> 200")
                .contains("token version 3 stored");
    }

    @Test
    void salesforceReadEveryCaseItsFakeHolds() {
        BundledReads bundled = summary.bundled();
        List<String> held = bundled.salesforce().records("Case").stream()
                .map(c -> c.string("Id"))
                .toList();
        assertThat(held).as("Cases the fake holds").isNotEmpty();
        assertThat(bundled.salesforceCases().ids()).containsExactlyInAnyOrderElementsOf(held);
        assertThat(bundled.salesforceCases().checkpoint().position())
                .get()
                .extracting(Position::id)
                .isEqualTo(last(bundled.salesforceCases().ids()));
    }

    @Test
    void hubspotReadEveryTicketItsFakeHolds() {
        BundledReads bundled = summary.bundled();
        assertThat(bundled.hubspot().count("tickets"))
                .as("tickets the fake holds")
                .isPositive();
        assertThat(bundled.hubspotTickets().ids())
                .doesNotHaveDuplicates()
                .hasSize(bundled.hubspot().count("tickets"))
                .allSatisfy(id ->
                        assertThat(bundled.hubspot().object("tickets", id)).isPresent());
        assertThat(bundled.hubspotTickets().checkpoint().position())
                .get()
                .extracting(Position::id)
                .isEqualTo(last(bundled.hubspotTickets().ids()));
    }

    @Test
    void slackReadEveryMessageOfTheChannelsItsBotIsIn() {
        BundledReads bundled = summary.bundled();
        // Record ids are {channel}:{ts}; the bot reads the channels it is a member of, thread replies included.
        List<String> held = BundledConnectorsDemo.SLACK_MEMBER_CHANNELS.stream()
                .flatMap(channel -> bundled.slack().messages(channel).stream().map(m -> channel + ":" + m.string("ts")))
                .toList();
        assertThat(held).as("messages the fake holds").isNotEmpty();
        assertThat(bundled.slackMessages().ids()).containsExactlyInAnyOrderElementsOf(held);
        // One position per channel (a partition each), at the newest ts the fake holds in that channel.
        for (String channel : BundledConnectorsDemo.SLACK_MEMBER_CHANNELS) {
            List<java.math.BigDecimal> ts = bundled.slack().messages(channel).stream()
                    .map(m -> new java.math.BigDecimal(m.string("ts")))
                    .toList();
            if (!ts.isEmpty()) {
                assertThat(bundled.slackMessages().checkpoint().position(channel))
                        .get()
                        .extracting(p -> new java.math.BigDecimal(p.cursor()))
                        .isEqualTo(
                                ts.stream().max(java.math.BigDecimal::compareTo).orElseThrow());
            }
        }
    }

    @Test
    void eachFakeReceivedTheRequestsOfItsReadAndEveryReadWasAudited() {
        BundledReads bundled = summary.bundled();
        for (var fakeAndRead : List.of(
                Map.entry(bundled.salesforce(), bundled.salesforceCases()),
                Map.entry(bundled.hubspot(), bundled.hubspotTickets()),
                Map.entry(bundled.slack(), bundled.slackMessages()))) {
            VendorFake fake = fakeAndRead.getKey();
            VendorRead read = fakeAndRead.getValue();
            assertThat(fake.requests())
                    .as("requests %s received", read.connection())
                    .isNotEmpty();
            assertThat(read.requests())
                    .as("requests the demo reported for %s", read.connection())
                    .isEqualTo(fake.requests().size());
            assertThat(fake.responseCount(200))
                    .as("200s %s answered", read.connection())
                    .isEqualTo(fake.requests().size());
            assertThat(read.audit())
                    .extracting(AuditEvent::kind, AuditEvent::outcome, AuditEvent::connection, AuditEvent::recordIds)
                    .containsExactly(
                            tuple(Kind.ACCESS, Outcome.ALLOWED, read.connection(), List.of()),
                            tuple(Kind.READ, Outcome.SUCCEEDED, read.connection(), read.ids()));
        }
        // The cases, and once per session the org's sharing defaults (which decide the records' ACLs).
        assertThat(bundled.salesforce().requestCount(FakeSalesforce.API + "/query"))
                .isEqualTo(2);
        assertThat(bundled.hubspot().requestCount("/crm/v3/objects/tickets/search"))
                .isEqualTo(1);
        assertThat(bundled.slack().requestCount("/api/conversations.history"))
                .isEqualTo(BundledConnectorsDemo.SLACK_MEMBER_CHANNELS.size());
    }

    @Test
    void theBundledConnectorsStepTellsWhatEachRead() {
        BundledReads bundled = summary.bundled();
        assertThat(story)
                .contains("== 6. The bundled connectors")
                .contains("read       Case: "
                        + bundled.salesforce().records("Case").size() + " records")
                .contains("read       tickets: " + bundled.hubspot().count("tickets") + " records")
                .contains(
                        "read       messages: " + bundled.slackMessages().ids().size() + " records")
                .contains("record     " + bundled.salesforceCases().ids().get(0) + "  {\"CaseNumber\":")
                .contains("requests   " + bundled.slack().requests().size() + " received");
        assertThat(story).doesNotContain(VendorFake.ACCESS_TOKEN);
    }

    @Test
    void everyRecordBelongsToTheVendorAccountItsConnectionNames() {
        // The connectors make the setting (org_id, portalId, team_id) the tenant of every record's ACL.
        BundledReads bundled = summary.bundled();
        assertThat(bundled.salesforceCases().aclTenants()).containsExactly(FakeSalesforce.ORG_ID);
        assertThat(bundled.hubspotTickets().aclTenants()).containsExactly(BundledConnectorsDemo.HUBSPOT_PORTAL);
        assertThat(bundled.slackMessages().aclTenants()).containsExactly(FakeSlack.TEAM_ID);
    }

    private static String last(List<String> ids) {
        return ids.get(ids.size() - 1);
    }

    @Test
    void theDemoLogsOurLoggersAtInfoAndOthersAtWarn() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger("dev.switchboard.core.internal.http.ConnectionHttp")
                        .getEffectiveLevel())
                .isEqualTo(Level.INFO);
        assertThat(context.getLogger("org.eclipse.jetty").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void theSupportDatabaseIsReadPerTenantCachedAndRefreshedByTheCommittedChange() {
        SupportDatabaseDemo.SupportRead support = summary.support();

        // The agent of one tenant sees that tenant's rows only.
        assertThat(support.customers()).hasSize(support.heldCustomers() / 2);
        assertThat(support.customers())
                .allSatisfy(r -> assertThat(r.data().string("tenant_id")).isEqualTo(SupportDatabaseDemo.TENANT));
        assertThat(support.orders())
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.data().string("tenant_id")).isEqualTo(SupportDatabaseDemo.TENANT));
        // numeric(12,2) keeps its scale: the trailing zero survives.
        assertThat(support.orders().get(0).data().number("amount")).hasToString("1249.90");
        // The second read came from the cache: a hit, and nothing borrowed from the application's pool.
        assertThat(support.cacheHits()).isEqualTo(1);
        assertThat(support.poolBorrowsOnSecondRead()).isZero();
        // The committed change reached the subscriber through the database's log, and the agent's next read saw it.
        assertThat(support.event()).get().satisfies(e -> {
            assertThat(e.recordId()).isEqualTo(SupportDatabaseDemo.CHANGED_ID);
            assertThat(e.origin()).isEqualTo(ChangeEvent.Origin.PUSH);
            assertThat(e.position()).isNotNull();
        });
        assertThat(support.slotsDropped()).isEqualTo(2);
        assertThat(support.tierBefore()).isNotEqualTo(SupportDatabaseDemo.NEW_TIER);
        assertThat(support.tierAfter()).isEqualTo(SupportDatabaseDemo.NEW_TIER);
        assertThat(story)
                .contains("== 9. The support database")
                .contains("tier " + support.tierBefore() + " -> " + SupportDatabaseDemo.NEW_TIER);
    }

    @Test
    void theSchemaDriftStepQuarantinesTheRetypedRecordsAndDeliversTheRest() {
        SchemaDriftDemo.DriftRead drift = summary.drift();
        List<String> delivered = drift.delivered().stream().map(r -> r.id()).toList();
        List<String> quarantined = drift.quarantined().stream().map(q -> q.id()).toList();

        // The first page went out before the change; every later record came retyped and was kept aside.
        assertThat(delivered).containsExactlyElementsOf(drift.held().subList(0, 2));
        assertThat(quarantined)
                .containsExactlyElementsOf(drift.held().subList(2, drift.held().size()));
        assertThat(drift.quarantined()).allSatisfy(q -> {
            assertThat(q.drifts())
                    .extracting(d -> d.field() + " " + d.kind() + " " + d.expected() + " -> " + d.observed())
                    .containsExactly("Amount TYPE_CHANGED NUMBER? -> STRING");
            assertThat(q.record().data().string("Amount")).isEqualTo(SchemaDriftDemo.NEW_VALUE);
        });
        assertThat(drift.checkpoint().position()).get().extracting(Position::id).isEqualTo(last(drift.held()));
        assertThat(drift.drift()).singleElement().satisfies(e -> {
            assertThat(e.recordIds()).containsExactlyElementsOf(quarantined);
            assertThat(e.detail())
                    .contains("field=Amount", "kind=TYPE_CHANGED", "action=quarantined", "count=" + quarantined.size());
        });
        assertThat(drift.meters()
                        .find("switchboard.records.quarantined")
                        .counter()
                        .count())
                .isEqualTo(quarantined.size());
        assertThat(story)
                .contains("== 8. Schema drift")
                .contains("read       " + delivered.size() + " delivered, " + quarantined.size() + " quarantined")
                .contains("quarantine " + quarantined.get(0)
                        + "  TYPE_CHANGED Amount: expected NUMBER?, observed STRING");
        // No record value reaches the logs: not the retyped value.
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(SchemaDriftDemo.NEW_VALUE));
    }

    @Test
    void theOtherStepsReadWithoutAnyDrift() {
        assertThat(summary.audit()).noneMatch(e -> e.kind() == AuditEvent.Kind.DRIFT);
        for (List<AuditEvent> audit : List.of(
                summary.bundled().salesforceCases().audit(),
                summary.bundled().hubspotTickets().audit(),
                summary.bundled().slackMessages().audit(),
                summary.unified().audit())) {
            assertThat(audit)
                    .noneMatch(e ->
                            e.kind() == AuditEvent.Kind.DRIFT && !e.detail().startsWith("source=metadata kind=ADDED"));
        }
    }

    @Test
    void theUnifiedModelStepLinksTheCustomerAcrossTheThreeSourcesByEmail() {
        UnifiedRead unified = summary.unified();
        Seeded seeded = unified.seeded();
        // CRMs first (the default precedence), then Slack; linked by the normalized email alone.
        assertThat(unified.person().members())
                .extracting(e -> e.origin().connector() + " " + e.origin().sourceId())
                .containsExactly(
                        "salesforce " + seeded.contact(),
                        "hubspot " + seeded.hubspotContact(),
                        "slack " + UnifiedModelDemo.SLACK_USER);
        assertThat(unified.person().links()).extracting(Link::rule).containsExactly(Link.Rule.EMAIL, Link.Rule.EMAIL);
        // HubSpot holds the address in another case and with spaces; the model's value is the same address.
        String hubspotRaw = unified.hubspot()
                .object("contacts", seeded.hubspotContact())
                .orElseThrow()
                .object("properties")
                .string("email");
        assertThat(hubspotRaw).isNotEqualTo(UnifiedModelDemo.EMAIL);
        assertThat(unified.person().members())
                .extracting(e -> e.get(Person.EMAIL).orElseThrow())
                .containsOnly(Email.parse(hubspotRaw).orElseThrow());
        // Her addresses from three sources are one list, the address once, not a conflict.
        assertThat(unified.person().conflict("emails")).isEmpty();
        assertThat(unified.person().get(Person.EMAILS).orElseThrow())
                .extracting(p -> p.value())
                .containsExactly(Email.parse(hubspotRaw).orElseThrow());
        // The CRMs disagree on her title: the merged view shows Salesforce's and lists both.
        assertThat(unified.person().conflict("title")).get().satisfies(c -> {
            assertThat(c.chosen().provenance().origin().connector()).isEqualTo("salesforce");
            assertThat(c.values()).hasSize(2);
        });
        assertThat(story)
                .contains("== 7. The unified model")
                .contains("graph.related(graph.person(\"" + UnifiedModelDemo.EMAIL + "\"), TICKET, "
                        + UnifiedModelDemo.MAX_TICKETS + "): "
                        + unified.tickets().size() + " tickets")
                .contains("person     Maya Patel, linked by EMAIL: salesforce Contact " + seeded.contact());
    }

    @Test
    void theOneCallFindsHerCaseAndHerHubSpotTicketEachWithTheVendorsStatusAndTheAccountsTier() {
        UnifiedRead unified = summary.unified();
        Seeded seeded = unified.seeded();
        assertThat(unified.tickets())
                .extracting(t -> t.primary().ref().id())
                .containsExactlyInAnyOrder(seeded.kase(), seeded.hubspotTicket());
        // The Case names her as requester; the HubSpot ticket is associated with her contact.
        assertThat(unified.tickets())
                .allSatisfy(t -> assertThat(unified.graph().related(t, EntityType.PERSON, 5))
                        .containsExactly(unified.person()));
        assertThat(unified.graph().related(unified.person(), EntityType.TICKET, "requester", 5))
                .extracting(t -> t.primary().ref().id())
                .containsExactly(seeded.kase());

        Ticket kase = ticket(unified, "salesforce");
        assertThat(kase.status())
                .get()
                .extracting(c -> c.code() + " " + c.raw())
                .isEqualTo("OPEN "
                        + unified.salesforce().record("Case", seeded.kase()).string("Status"));
        Ticket hubspotTicket = UnifiedModelDemo.hubspotTicket(unified).orElseThrow();
        String stage = unified.hubspot()
                .object("tickets", seeded.hubspotTicket())
                .orElseThrow()
                .object("properties")
                .string("hs_pipeline_stage");
        assertThat(hubspotTicket.status())
                .get()
                .extracting(c -> c.code() + " " + c.raw())
                .isEqualTo("PENDING " + stage);

        // Both tickets come with her Salesforce Account, its tier and revenue laid over by the YAML mapping.
        JsonObject account = unified.salesforce().record("Account", seeded.account());
        assertThat(unified.organizations()).singleElement().satisfies(org -> {
            assertThat(org.primary().ref().id()).isEqualTo(seeded.account());
            assertThat(org.custom("tier"))
                    .get()
                    .extracting(Value::value)
                    .isEqualTo(new Code("DIRECT", account.string("Type")));
            assertThat(org.get(Organization.ANNUAL_REVENUE))
                    .contains(new Money(account.number("AnnualRevenue"), Currency.getInstance("USD")));
            // Without the connection's mappings the connector's mapper leaves both out: the file did it. The graph
            // keeps the record by reference (its identity, no data): the data is the source's.
            assertThat(org.primary().hasRaw()).isFalse();
            Entity plain = Normalizer.standard()
                    .normalize(org.primary().raw().newBuilder().data(account).build());
            assertThat(plain.get(Organization.NAME)).isPresent();
            assertThat(plain.custom("tier")).isEmpty();
            assertThat(plain.get(Organization.ANNUAL_REVENUE)).isEmpty();
        });
        assertThat(story)
                .contains("ticket     hubspot tickets " + seeded.hubspotTicket() + "  ")
                .contains("status PENDING (hs_pipeline_stage \"" + stage + "\")")
                .contains("tier DIRECT (\"" + account.string("Type") + "\")");
    }

    @Test
    void everyValueNamesItsSourceRecordFieldAndVersion() {
        UnifiedRead unified = summary.unified();
        Seeded seeded = unified.seeded();
        LinkedEntity org = unified.organizations().get(0);
        JsonObject account = unified.salesforce().record("Account", seeded.account());
        assertThat(org.custom("tier").orElseThrow().provenance()).satisfies(p -> {
            assertThat(p.sourceField()).isEqualTo("Type");
            assertThat(p.origin().object()).isEqualTo("Account");
            assertThat(p.origin().sourceId()).isEqualTo(seeded.account());
            assertThat(p.origin().sourceVersion()).isEqualTo(account.string("SystemModstamp"));
        });
        assertThat(org.value(Organization.ANNUAL_REVENUE)
                        .orElseThrow()
                        .provenance()
                        .sourceField())
                .isEqualTo("AnnualRevenue");
        Ticket hubspotTicket = UnifiedModelDemo.hubspotTicket(unified).orElseThrow();
        assertThat(hubspotTicket.provenance(Ticket.STATUS))
                .get()
                .extracting(p -> p.sourceField(), p -> p.origin().connector())
                .containsExactly("hs_pipeline_stage", "hubspot");
        // The CRMs give first and last names only: the merged name is Slack's.
        assertThat(unified.person().value(Person.NAME))
                .get()
                .extracting(
                        v -> v.provenance().sourceField(),
                        v -> v.provenance().origin().sourceId())
                .containsExactly("real_name", UnifiedModelDemo.SLACK_USER);
        assertThat(story)
                .contains("provenance tier    connector salesforce, object Account, id " + seeded.account()
                        + ", source field Type, version " + account.string("SystemModstamp"))
                .contains("provenance status  connector hubspot, object tickets, id " + seeded.hubspotTicket()
                        + ", source field hs_pipeline_stage");
    }

    @Test
    void herSlackMessagesAreFoundThroughTheLinkedPersonAndEveryReadWentThroughItsConnection() {
        UnifiedRead unified = summary.unified();
        // The shared channel also holds another user's message: only hers are related to her.
        assertThat(unified.slack().messages(UnifiedModelDemo.SHARED_CHANNEL))
                .hasSizeGreaterThan(unified.messages().size());
        assertThat(unified.messages())
                .extracting(m -> m.ref().id())
                .containsExactlyElementsOf(unified.seeded().slackMessages());
        assertThat(unified.messages())
                .allSatisfy(m ->
                        assertThat(m.author()).get().extracting(EntityRef::id).isEqualTo(UnifiedModelDemo.SLACK_USER));
        // Each stream was authorized and audited by its connection, as the agent.
        List<String> streams = new java.util.ArrayList<>(UnifiedModelDemo.SALESFORCE_STREAMS);
        streams.addAll(UnifiedModelDemo.HUBSPOT_STREAMS);
        streams.addAll(List.of("users", "messages"));
        assertThat(unified.audit())
                .filteredOn(e -> e.kind() == Kind.READ)
                .extracting(AuditEvent::operation, AuditEvent::outcome, AuditEvent::userId)
                .containsExactlyElementsOf(streams.stream()
                        .map(s -> tuple(s, Outcome.SUCCEEDED, "u-42"))
                        .toList());
        assertThat(unified.audit())
                .filteredOn(e -> e.kind() == Kind.ACCESS)
                .extracting(AuditEvent::outcome)
                .hasSize(streams.size())
                .containsOnly(Outcome.ALLOWED);
    }

    private static Ticket ticket(UnifiedRead unified, String connector) {
        return unified.tickets().stream()
                .map(t -> (Ticket) t.primary())
                .filter(t -> t.origin().connector().equals(connector))
                .findFirst()
                .orElseThrow();
    }
}
