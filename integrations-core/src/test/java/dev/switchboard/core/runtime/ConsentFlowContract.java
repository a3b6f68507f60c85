package dev.switchboard.core.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.error.ConsentDeniedException;
import dev.switchboard.core.error.ConsentRequiredException;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.ConsentKey;
import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.core.governance.ConsentRecord;
import dev.switchboard.core.governance.Consents;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.Sha256;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.secrets.SecretKind;
import dev.switchboard.testkit.secrets.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consent that a later call can prove, end to end against a local server: a write refused pending a
 * person's decision, decided by the application through {@link Consents}, and used by exactly one call of
 * the same principal, session, connection, action and input. Subclasses give the {@link ConsentLedger}: the
 * flow must hold over every ledger, in memory or shared. Requests are counted at the server.
 */
abstract class ConsentFlowContract {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    static final String CONNECTION = "helpdesk-acme";
    static final String ACCESS_TOKEN = Secrets.register(SecretKind.ACCESS_TOKEN, "sekrit-access-3f9a");
    static final Duration TTL = Duration.ofMinutes(10);

    static final Map<String, String> COMMENT = Map.of("ticket_id", "t1", "body", "Refund approved");
    static final Map<String, String> OTHER_COMMENT = Map.of("ticket_id", "t1", "body", "Refund approved twice");
    static final Map<String, Object> REFUND = Map.of("ticket_id", "t1", "amount", 20);
    /** The RFC 8785 forms of the inputs, written by hand: members sorted, no blanks. */
    static final String COMMENT_DIGEST = Sha256.hex("{\"body\":\"Refund approved\",\"ticket_id\":\"t1\"}");

    static final String OTHER_DIGEST = Sha256.hex("{\"body\":\"Refund approved twice\",\"ticket_id\":\"t1\"}");

    final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    final InMemoryAuditSink audit = AuditSink.inMemory();
    final TokenStore store = TokenStore.inMemory(clock);
    final AgentContext alice = new AgentContext(Principal.user("alice", "acme"), "session-1", "trace-a");
    final AgentContext bob = new AgentContext(Principal.user("bob", "acme"), "session-1", "trace-b");
    final AgentContext aliceLater = new AgentContext(Principal.user("alice", "acme"), "session-2", "trace-c");
    ConsentLedger ledger;
    Switchboard switchboard;

    /** A new, empty ledger for one test. */
    protected abstract ConsentLedger newLedger();

    @BeforeEach
    void setUp() {
        store.compareAndSet(CONNECTION, 0, Credential.builder(ACCESS_TOKEN).build());
        server.stubFor(post(urlPathEqualTo("/comments")).willReturn(okJson("{\"id\":\"c9\"}")));
        server.stubFor(post(urlPathEqualTo("/refunds")).willReturn(okJson("{\"id\":\"r1\"}")));
        ledger = newLedger();
        switchboard = Switchboard.builder()
                .connection(ConnectionConfig.builder(CONNECTION)
                        .connector(HelpdeskConnector.ID)
                        .baseUrl(server.baseUrl())
                        .build())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.askUser())
                .consentLedger(ledger)
                .consentTtl(TTL)
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private ActionResult execute(AgentContext context, String action, Map<String, ?> input) {
        return switchboard.connection(CONNECTION).execute(context, action, input);
    }

    private ActionResult comment(AgentContext context, Map<String, ?> input) {
        return execute(context, "add_comment", input);
    }

    private static <E extends Throwable> E thrown(Class<E> type, ThrowingCallable call) {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(type);
        return type.cast(t);
    }

    /** The call, refused pending a person's decision. */
    private ConsentRequiredException refused(AgentContext context, String action, Map<String, ?> input) {
        return thrown(ConsentRequiredException.class, () -> execute(context, action, input));
    }

    private ConsentRequiredException refused(AgentContext context, Map<String, ?> input) {
        return refused(context, "add_comment", input);
    }

    private Consents consent() {
        return switchboard.consent();
    }

    private int comments() {
        return server.findAll(postRequestedFor(urlPathEqualTo("/comments"))).size();
    }

    private List<AuditEvent> consentEvents(AuditEvent.Outcome outcome) {
        return audit.events().stream()
                .filter(e -> e.kind() == AuditEvent.Kind.CONSENT && e.outcome() == outcome)
                .toList();
    }

    // ---- one approval, one call ----------------------------------------------------------------

    @Test
    void anApprovalRunsTheSameCallExactlyOnce() {
        ConsentRequiredException asked = refused(alice, COMMENT);

        assertThat(asked.nextStep()).isEqualTo(NextStep.ASK_USER);
        assertThat(asked.requestId()).isNotBlank();
        assertThat(asked.prompt())
                .contains("add_comment", "\"ticket_id\":\"t1\"", "\"body\":\"Refund approved\"")
                .doesNotContain(ACCESS_TOKEN);
        assertThat(asked.getMessage()).contains(asked.requestId());
        assertThat(comments()).as("nothing is sent before the person decides").isZero();

        ConsentRecord approved = consent().approve(asked.requestId());
        assertThat(approved.status()).isEqualTo(ConsentRecord.Status.APPROVED_ONCE);
        assertThat(approved.key())
                .isEqualTo(new ConsentKey("acme", "alice", "session-1", CONNECTION, "add_comment", COMMENT_DIGEST));

        ActionResult result = comment(alice, COMMENT);
        assertThat(result.output().string("id")).isEqualTo("c9");
        assertThat(comments()).isEqualTo(1);

        ConsentRequiredException again = refused(alice, COMMENT);
        assertThat(again.requestId())
                .as("the approval was used: the same call asks anew")
                .isNotEqualTo(asked.requestId());
        assertThat(comments()).isEqualTo(1);

        assertThat(consentEvents(AuditEvent.Outcome.PENDING))
                .hasSize(2)
                .allSatisfy(e -> {
                    assertThat(e.inputDigest()).isEqualTo(COMMENT_DIGEST);
                    assertThat(e.sessionId()).isEqualTo("session-1");
                    assertThat(e.traceId()).isEqualTo("trace-a");
                    assertThat(e.userId()).isEqualTo("alice");
                    assertThat(e.effect()).isEqualTo(dev.switchboard.core.connector.Effect.WRITE);
                })
                .extracting(AuditEvent::detail)
                .satisfiesExactly(
                        d -> assertThat(d).contains(asked.requestId()),
                        d -> assertThat(d).contains(again.requestId()));
        assertThat(consentEvents(AuditEvent.Outcome.ALLOWED))
                .extracting(AuditEvent::detail)
                .satisfiesExactly(
                        decision -> assertThat(decision).contains("APPROVED_ONCE", asked.requestId()),
                        use -> assertThat(use).contains("approved once", asked.requestId()));
    }

    @Test
    void anApprovalIsRefusedToOtherInputAnotherUserAndAnotherSession() {
        String id = refused(alice, COMMENT).requestId();
        consent().approve(id);

        List<String> asked = new ArrayList<>();
        asked.add(refused(alice, OTHER_COMMENT).requestId());
        asked.add(refused(bob, COMMENT).requestId());
        asked.add(refused(aliceLater, COMMENT).requestId());

        assertThat(asked).doesNotContain(id).doesNotHaveDuplicates();
        assertThat(comments()).isZero();
        assertThat(consentEvents(AuditEvent.Outcome.PENDING))
                .extracting(AuditEvent::userId, AuditEvent::sessionId, AuditEvent::inputDigest)
                .containsExactly(
                        tuple("alice", "session-1", COMMENT_DIGEST),
                        tuple("alice", "session-1", OTHER_DIGEST),
                        tuple("bob", "session-1", COMMENT_DIGEST),
                        tuple("alice", "session-2", COMMENT_DIGEST));

        // None of them used it: the call it was given for still runs, once.
        comment(alice, COMMENT);
        assertThat(comments()).isEqualTo(1);
    }

    @Test
    void callsMadeAgainBeforeThePersonAnswersShareOneRequest() {
        ConsentRequiredException first = refused(alice, COMMENT);
        ConsentRequiredException second = refused(alice, COMMENT);
        ConsentRequiredException other = refused(alice, OTHER_COMMENT);

        assertThat(second.requestId()).isEqualTo(first.requestId());
        assertThat(second.prompt()).isEqualTo(first.prompt());
        assertThat(consent().pending(alice.principal()))
                .extracting(ConsentRecord::requestId)
                .containsExactly(first.requestId(), other.requestId());
        assertThat(consentEvents(AuditEvent.Outcome.PENDING)).hasSize(3);

        consent().approve(first.requestId());
        comment(alice, COMMENT);
        assertThat(comments()).isEqualTo(1);
    }

    // ---- denial ----------------------------------------------------------------------------------

    @Test
    void aDenialRefusesTheNextCallOnceWithItsReason() {
        String id = refused(alice, COMMENT).requestId();
        ConsentRecord denied = consent().deny(id, "not for this customer");
        assertThat(denied.status()).isEqualTo(ConsentRecord.Status.DENIED);

        ConsentDeniedException refusal = thrown(ConsentDeniedException.class, () -> comment(alice, COMMENT));
        assertThat(refusal.nextStep()).isEqualTo(NextStep.ASK_USER);
        assertThat(refusal).hasMessageContaining("not for this customer").hasMessageContaining(id);

        ConsentRequiredException askedAgain = refused(alice, COMMENT);
        assertThat(askedAgain.requestId()).as("a denial is learnt once").isNotEqualTo(id);
        assertThat(comments()).isZero();

        assertThat(consentEvents(AuditEvent.Outcome.DENIED))
                .satisfiesExactly(
                        decision -> assertThat(decision.detail()).contains("not for this customer", id), use -> {
                            assertThat(use.detail()).contains("not for this customer", id);
                            assertThat(use.inputDigest()).isEqualTo(COMMENT_DIGEST);
                            assertThat(use.sessionId()).isEqualTo("session-1");
                            assertThat(use.traceId()).isEqualTo("trace-a");
                        });
    }

    @Test
    void aDecisionIsMadeOnceAndALateOrUnknownOneIsATypedErrorThatIsAudited() {
        String lapsed = refused(alice, COMMENT).requestId();
        clock.advance(TTL.plusSeconds(1));
        assertThat(thrown(InvalidInputException.class, () -> consent().approve(lapsed)))
                .hasMessageContaining(lapsed)
                .hasMessageContaining("expired");

        String denied = refused(alice, COMMENT).requestId();
        consent().deny(denied, "no");
        thrown(InvalidInputException.class, () -> consent().approve(denied));
        thrown(InvalidInputException.class, () -> consent().approveForSession(denied));
        thrown(InvalidInputException.class, () -> consent().approve("no-such-request"));

        // The denial stands: a later approval of the same request changed nothing.
        thrown(ConsentDeniedException.class, () -> comment(alice, COMMENT));
        assertThat(comments()).isZero();
        assertThat(consentEvents(AuditEvent.Outcome.FAILED))
                .extracting(AuditEvent::detail)
                .satisfiesExactly(
                        d -> assertThat(d).contains("APPROVED_ONCE", lapsed),
                        d -> assertThat(d).contains("APPROVED_ONCE", denied),
                        d -> assertThat(d).contains("APPROVED_FOR_SESSION", denied),
                        d -> assertThat(d).contains("no-such-request"));
        assertThat(consentEvents(AuditEvent.Outcome.FAILED).subList(0, 3))
                .as("a refused decision on a known request names whose it was")
                .allSatisfy(e -> {
                    assertThat(e.userId()).isEqualTo("alice");
                    assertThat(e.connection()).isEqualTo(CONNECTION);
                    assertThat(e.operation()).isEqualTo("add_comment");
                });
    }

    // ---- session-wide grants ---------------------------------------------------------------------

    @Test
    void aSessionWideApprovalCoversAnyInputOfThatActionInThatSessionOnly() {
        String id = refused(alice, COMMENT).requestId();
        ConsentRecord grant = consent().approveForSession(id);

        comment(alice, COMMENT);
        comment(alice, OTHER_COMMENT);
        comment(alice, COMMENT);
        assertThat(comments()).isEqualTo(3);

        refused(alice, "refund", REFUND);
        refused(aliceLater, COMMENT);
        refused(bob, COMMENT);
        assertThat(comments()).isEqualTo(3);
        assertThat(server.findAll(postRequestedFor(urlPathEqualTo("/refunds")))).isEmpty();
        assertThat(grant.key().action()).isEqualTo("add_comment");
        assertThat(grant.key().inputDigest())
                .as("a session-wide grant carries no digest")
                .isNull();
    }

    // ---- time --------------------------------------------------------------------------------------

    @Test
    void anApprovalNotUsedInTimeLapses() {
        String id = refused(alice, COMMENT).requestId();
        clock.advance(Duration.ofMinutes(4));
        consent().approve(id);
        clock.advance(TTL.minus(Duration.ofMinutes(4)).plusSeconds(1));

        ConsentRequiredException asked = refused(alice, COMMENT);

        assertThat(asked.requestId()).isNotEqualTo(id);
        assertThat(comments()).isZero();
    }

    // ---- concurrency -------------------------------------------------------------------------------

    @Test
    void sixteenCallsAtOnceUseOneApprovalOnce() throws Exception {
        consent().approve(refused(alice, COMMENT).requestId());
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ActionResult>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return comment(alice, COMMENT);
                }));
            }
            start.countDown();
            int ran = 0;
            int refusedForConsent = 0;
            for (Future<ActionResult> call : calls) {
                try {
                    call.get(30, TimeUnit.SECONDS);
                    ran++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(ConsentRequiredException.class);
                    refusedForConsent++;
                }
            }
            assertThat(ran).isEqualTo(1);
            assertThat(refusedForConsent).isEqualTo(threads - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(comments()).isEqualTo(1);
    }

    // ---- what the flow needs of the ledger -------------------------------------------------------------

    @Test
    void aDenialOfACallWinsOverAnApprovalOfTheSameCall() {
        Instant now = clock.instant();
        ConsentKey key = new ConsentKey("acme", "alice", "session-1", CONNECTION, "add_comment", COMMENT_DIGEST);
        for (String id : List.of("r-approved", "r-denied")) {
            ledger.request(
                    new ConsentRecord(id, key, "Allow?", ConsentRecord.Status.PENDING, now, now.plus(TTL), null));
        }
        ledger.decide("r-approved", ConsentRecord.Status.APPROVED_ONCE, "yes", now);
        ledger.decide("r-denied", ConsentRecord.Status.DENIED, "no", now);

        assertThat(ledger.consume(key, now))
                .get()
                .extracting(ConsentRecord::requestId, ConsentRecord::status)
                .containsExactly("r-denied", ConsentRecord.Status.DENIED);
        assertThat(ledger.consume(key, now))
                .as("the approval of the same call went with the denial")
                .isEmpty();
        assertThat(ledger.find("r-approved"))
                .get()
                .extracting(ConsentRecord::status)
                .isEqualTo(ConsentRecord.Status.CONSUMED);
    }

    @Test
    void aDeniedCallRefusedOnceDoesNotRunOnAnApprovalLeftFromTheSameQuestion() {
        // Two requests of one call, as two calls made at once before the first was recorded would leave.
        Instant now = clock.instant();
        ConsentKey key = new ConsentKey("acme", "alice", "session-1", CONNECTION, "add_comment", COMMENT_DIGEST);
        for (String id : List.of("r-1", "r-2")) {
            ledger.request(
                    new ConsentRecord(id, key, "Allow?", ConsentRecord.Status.PENDING, now, now.plus(TTL), null));
        }
        consent().approve("r-1");
        consent().deny("r-2", "no refunds today");

        thrown(ConsentDeniedException.class, () -> comment(alice, COMMENT));
        refused(alice, COMMENT);
        assertThat(comments()).isZero();
    }
}
