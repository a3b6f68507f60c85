package dev.switchboard.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link PermissionPolicy} declared in code: each rule kind, how they compose, and the builder's checks. */
class PermissionPolicyTest {
    static final String HELPDESK = "helpdesk-acme";
    static final AgentContext SUPPORT = context("sam", "support");
    static final AgentContext MANAGER = context("mia", "manager");
    static final AgentContext NO_ROLE = context("nora");
    static final AgentContext SYSTEM = AgentContext.of(Principal.system("indexer"));

    /** Tickets sam may see: t1 and t7 (the hook's own answer, standing in for the application's index). */
    static final RecordVisibility SAMS_TICKETS =
            (ctx, connection, stream, id) -> ctx.principal().userId().equals("sam")
                    && connection.equals(HELPDESK)
                    && stream.equals("tickets")
                    && Set.of("t1", "t7").contains(id);

    /** The policy of the file fixtures (policy.json, policy.yaml), declared in code. */
    static PermissionPolicy.Builder shared() {
        return PermissionPolicy.custom()
                .grant(
                        "support-desk",
                        g -> g.roles("support")
                                .connections("helpdesk-*")
                                .streams("tickets")
                                .actions("add_comment", "refund", "create_ticket"))
                .grant(
                        "managers",
                        g -> g.roles("manager")
                                .connections("*")
                                .streams("*")
                                .actions("*")
                                .effects(Effect.READ, Effect.WRITE, Effect.DESTRUCTIVE))
                .grant("anyone-counts", g -> g.anyUser().connections(HELPDESK).actions("count_*"))
                .fields(
                        "personal-data",
                        f -> f.exceptRoles("manager")
                                .connections("*")
                                .streams("tickets")
                                .hide("email")
                                .forbid("ssn"))
                .argument(
                        "small-refunds",
                        a -> a.roles("support")
                                .connections("*")
                                .actions("refund")
                                .path("/amount")
                                .between(BigDecimal.ZERO, BigDecimal.valueOf(100)))
                .argument(
                        "known-priorities",
                        a -> a.connections("*")
                                .actions("create_ticket")
                                .path("/priority")
                                .oneOf("low", "normal", "high"))
                .argument(
                        "own-tickets",
                        a -> a.roles("support")
                                .connections("*")
                                .actions("add_comment")
                                .path("/ticket_id")
                                .visibleIn("tickets"))
                .recordVisibility(SAMS_TICKETS);
    }

    private final PermissionPolicy policy = shared().build();

    static AgentContext context(String user, String... roles) {
        return AgentContext.of(Principal.user(user, "acme").withRoles(roles));
    }

    static Operation read(String connection, String stream, String... fields) {
        return new Operation(connection, "helpdesk", stream, Effect.READ, Operation.Kind.READ, List.of(fields), null);
    }

    static Operation action(String name, Effect effect, Map<String, ?> input) {
        return new Operation(
                HELPDESK, "helpdesk", name, effect, Operation.Kind.ACTION, List.of(), Json.objectFrom(input));
    }

    static Record ticket(String id, @Nullable Acl acl) {
        return Record.builder().stream("tickets")
                .id(id)
                .source(new RecordSource("helpdesk", HELPDESK, "tickets"))
                .data(JsonObject.builder()
                        .put("id", id)
                        .put("subject", "Printer on fire")
                        .put("email", "ann@example.com")
                        .put("ssn", "078-05-1120")
                        .build())
                .acl(acl)
                .build();
    }

    // ---- grants: role and scope ---------------------------------------------------------------------

    @Test
    void aGrantAllowsItsRolesStreamsAndActionsAndTheReasonNamesIt() {
        AccessDecision read = policy.authorize(SUPPORT, read(HELPDESK, "tickets"));
        AccessDecision comment =
                policy.authorize(SUPPORT, action("add_comment", Effect.WRITE, Map.of("ticket_id", "t1")));

        assertThat(read.allowed()).isTrue();
        assertThat(read.reason()).isEqualTo("rule 'support-desk' grants read stream helpdesk-acme/tickets");
        assertThat(comment.allowed()).isTrue();
        assertThat(policy.authorize(NO_ROLE, action("count_tickets", Effect.READ, Map.of()))
                        .allowed())
                .as("anyUser covers a principal without roles")
                .isTrue();
    }

    @Test
    void whatNoRuleGrantsIsDeniedAndTheReasonSaysWhatWasMissing() {
        AccessDecision delete =
                policy.authorize(SUPPORT, action("delete_ticket", Effect.DESTRUCTIVE, Map.of("ticket_id", "t1")));
        AccessDecision otherConnection = policy.authorize(SUPPORT, read("crm-acme", "contacts"));
        AccessDecision otherStream = policy.authorize(SUPPORT, read(HELPDESK, "agents"));
        AccessDecision noRole = policy.authorize(NO_ROLE, read(HELPDESK, "tickets"));

        assertThat(delete.allowed()).isFalse();
        assertThat(delete.reason())
                .isEqualTo("role support may not run action helpdesk-acme/delete_ticket: no rule grants it");
        assertThat(otherConnection.reason())
                .isEqualTo("role support may not read stream crm-acme/contacts: no rule grants it");
        assertThat(otherStream.allowed()).isFalse();
        assertThat(noRole.reason())
                .isEqualTo("a principal without roles may not read stream helpdesk-acme/tickets: no rule grants it");
        assertThat(policy.authorize(MANAGER, read("crm-acme", "contacts")).allowed())
                .isTrue();
    }

    @Test
    void aDestructiveActionNeedsAGrantThatNamesItsEffect() {
        PermissionPolicy writers = PermissionPolicy.custom()
                .grant("writers", g -> g.roles("agent").connections("*").actions("*"))
                .build();
        AgentContext agent = context("ada", "agent");

        AccessDecision delete = writers.authorize(agent, action("delete_ticket", Effect.DESTRUCTIVE, Map.of()));

        assertThat(writers.authorize(agent, action("add_comment", Effect.WRITE, Map.of()))
                        .allowed())
                .isTrue();
        assertThat(delete.allowed()).isFalse();
        assertThat(delete.reason())
                .isEqualTo("role agent may not run action helpdesk-acme/delete_ticket: rule 'writers' grants it only"
                        + " for effects [READ, WRITE], not DESTRUCTIVE");
    }

    @Test
    void aTenantGrantCoversOnlyThatTenantAndExceptRolesLeavesPrincipalsOut() {
        PermissionPolicy byTenant = PermissionPolicy.custom()
                .grant(
                        "acme-reads",
                        g -> g.tenants("acme")
                                .exceptRoles("contractor")
                                .connections("*")
                                .streams("tickets"))
                .build();

        assertThat(byTenant.authorize(NO_ROLE, read(HELPDESK, "tickets")).allowed())
                .isTrue();
        assertThat(byTenant.authorize(AgentContext.of(Principal.user("olaf", "globex")), read(HELPDESK, "tickets"))
                        .allowed())
                .isFalse();
        assertThat(byTenant.authorize(context("carl", "contractor"), read(HELPDESK, "tickets"))
                        .allowed())
                .isFalse();
    }

    @Test
    void aSystemPrincipalReadsAndFollowsEverythingWholeButRunsNothing() {
        Record untouched = ticket("t1", null);

        assertThat(policy.authorize(SYSTEM, read("crm-acme", "contacts")).allowed())
                .isTrue();
        assertThat(policy.authorize(SYSTEM, read(HELPDESK, "tickets", "ssn")).allowed())
                .isTrue();
        assertThat(policy.filter(SYSTEM, untouched)).isSameAs(untouched);
        AccessDecision run = policy.authorize(SYSTEM, action("count_tickets", Effect.READ, Map.of()));
        assertThat(run.allowed()).isFalse();
        assertThat(run.reason()).contains("system principals", "run action helpdesk-acme/count_tickets");
    }

    // ---- fields ------------------------------------------------------------------------------------

    @Test
    void aReadThatNamesAForbiddenFieldIsRefusedNamingFieldAndRule() {
        AccessDecision refused = policy.authorize(SUPPORT, read(HELPDESK, "tickets", "subject", "ssn"));

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason())
                .isEqualTo("rule 'personal-data' forbids field 'ssn' of helpdesk-acme/tickets to role support:"
                        + " read without it");
        assertThat(policy.authorize(SUPPORT, read(HELPDESK, "tickets", "subject", "email"))
                        .allowed())
                .as("a hidden field may be named: it is removed, not refused")
                .isTrue();
        assertThat(policy.authorize(MANAGER, read(HELPDESK, "tickets", "ssn")).allowed())
                .as("exceptRoles: the rule does not apply to managers")
                .isTrue();
    }

    @Test
    void hiddenAndForbiddenFieldsAreRemovedAndTheOtherFieldsKept() {
        Record record = ticket("t1", Acl.tenant("acme"));

        Record seen = policy.filter(SUPPORT, record);
        Record managerSees = policy.filter(MANAGER, record);

        assertThat(seen).isNotNull();
        assertThat(seen.data().names()).containsExactlyInAnyOrder("id", "subject");
        assertThat(seen.data().string("subject")).isEqualTo("Printer on fire");
        assertThat(seen.id()).isEqualTo("t1");
        assertThat(seen.acl()).isEqualTo(record.acl());
        assertThat(managerSees).isSameAs(record);
    }

    // ---- arguments ---------------------------------------------------------------------------------

    @Test
    void anAmountOutsideTheRangeIsRefusedWithoutSayingTheAmount() {
        AccessDecision small =
                policy.authorize(SUPPORT, action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", 100)));
        AccessDecision large = policy.authorize(
                SUPPORT, action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", new BigDecimal("731.5"))));
        AccessDecision negative =
                policy.authorize(SUPPORT, action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", -1)));
        AccessDecision missing = policy.authorize(SUPPORT, action("refund", Effect.WRITE, Map.of("ticket_id", "t1")));
        AccessDecision text =
                policy.authorize(SUPPORT, action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", "50")));

        assertThat(small.allowed()).isTrue();
        assertThat(large.allowed()).isFalse();
        assertThat(large.reason())
                .isEqualTo("rule 'small-refunds' refuses run action helpdesk-acme/refund: input /amount is outside"
                        + " the allowed range [0, 100]")
                .doesNotContain("731");
        assertThat(negative.allowed()).isFalse();
        assertThat(missing.reason()).endsWith("input /amount is missing");
        assertThat(text.reason()).endsWith("input /amount is not a number");
        assertThat(policy.authorize(MANAGER, action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", 731))))
                .as("the rule is for support only")
                .extracting(AccessDecision::allowed)
                .isEqualTo(true);
    }

    @Test
    void aValueOutsideTheSetIsRefusedWithoutSayingTheValue() {
        AccessDecision known = policy.authorize(
                SUPPORT, action("create_ticket", Effect.WRITE, Map.of("subject", "x", "priority", "high")));
        AccessDecision unknown = policy.authorize(
                SUPPORT, action("create_ticket", Effect.WRITE, Map.of("subject", "x", "priority", "apocalyptic")));

        assertThat(known.allowed()).isTrue();
        assertThat(unknown.allowed()).isFalse();
        assertThat(unknown.reason())
                .isEqualTo("rule 'known-priorities' refuses run action helpdesk-acme/create_ticket: input /priority"
                        + " is not one of the allowed values")
                .doesNotContain("apocalyptic");
    }

    @Test
    void aPathReachesIntoNestedObjectsAndArrays() {
        PermissionPolicy nested = PermissionPolicy.custom()
                .grant("all", g -> g.anyUser().connections("*").actions("*"))
                .argument(
                        "sku",
                        a -> a.connections("*")
                                .actions("order")
                                .path("/lines/1/a~1b")
                                .oneOf(Json.from(7)))
                .build();
        JsonObject ok = (JsonObject) Json.parse("{\"lines\":[{},{\"a/b\":7.0}]}");
        JsonObject wrong = (JsonObject) Json.parse("{\"lines\":[{\"a/b\":7},{\"a/b\":8}]}");

        assertThat(nested.authorize(
                                NO_ROLE,
                                new Operation(
                                        HELPDESK, "h", "order", Effect.WRITE, Operation.Kind.ACTION, List.of(), ok))
                        .allowed())
                .isTrue();
        assertThat(nested.authorize(
                                NO_ROLE,
                                new Operation(
                                        HELPDESK, "h", "order", Effect.WRITE, Operation.Kind.PREVIEW, List.of(), wrong))
                        .reason())
                .isEqualTo("rule 'sku' refuses preview action helpdesk-acme/order: input /lines/1/a~1b is not one of"
                        + " the allowed values");
    }

    @Test
    void anActionOnARecordThePrincipalCannotSeeIsRefusedThroughTheVisibilityHook() {
        AccessDecision visible =
                policy.authorize(SUPPORT, action("add_comment", Effect.WRITE, Map.of("ticket_id", "t7")));
        AccessDecision hidden =
                policy.authorize(SUPPORT, action("add_comment", Effect.WRITE, Map.of("ticket_id", "t9")));
        PermissionPolicy failing = shared().recordVisibility((ctx, connection, stream, id) -> {
                    throw new IllegalStateException("index down while looking up " + id);
                })
                .build();
        AccessDecision unknown =
                failing.authorize(SUPPORT, action("add_comment", Effect.WRITE, Map.of("ticket_id", "t7")));

        assertThat(visible.allowed()).isTrue();
        assertThat(hidden.allowed()).isFalse();
        assertThat(hidden.reason())
                .isEqualTo("rule 'own-tickets' refuses run action helpdesk-acme/add_comment: the tickets record named"
                        + " by input /ticket_id is not visible to this principal")
                .doesNotContain("t9");
        assertThat(unknown.allowed()).as("a failing hook fails closed").isFalse();
        assertThat(unknown.reason())
                .contains("could not be checked (IllegalStateException)")
                .doesNotContain("t7");
    }

    @Test
    void aVisibilityRuleWithoutAHookIsRefusedAtBuild() {
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .argument(
                                "own",
                                a -> a.connections("*")
                                        .actions("add_comment")
                                        .path("/ticket_id")
                                        .visibleIn("tickets"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rule 'own'")
                .hasMessageContaining("recordVisibility(...)");
    }

    // ---- rows --------------------------------------------------------------------------------------

    @Test
    void theRowRuleComesFirstAndCanBeTurnedOff() {
        Record noAcl = ticket("t1", null);
        Record otherTenant = ticket("t2", Acl.tenant("globex"));
        Record othersPrivate = ticket("t3", Acl.owned("mia", "acme"));
        Record own = ticket("t4", Acl.owned("sam", "acme"));
        PermissionPolicy withoutRows = shared().rowLevel(false).build();

        assertThat(policy.filter(SUPPORT, noAcl)).isNull();
        assertThat(policy.filter(SUPPORT, otherTenant)).isNull();
        assertThat(policy.filter(SUPPORT, othersPrivate)).isNull();
        assertThat(policy.filter(SUPPORT, own)).extracting(Record::id).isEqualTo("t4");
        assertThat(withoutRows.filter(SUPPORT, noAcl))
                .as("without the row rule, only fields are removed")
                .satisfies(r -> assertThat(r.data().names()).containsExactlyInAnyOrder("id", "subject"));
    }

    // ---- the builder -------------------------------------------------------------------------------

    @Test
    void theBuilderRefusesAnIncompleteOrAmbiguousRuleNamingIt() {
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .grant("nobody", g -> g.connections("*").streams("*")))
                .hasMessage("grant 'nobody' names no one: add roles(...), tenants(...) or anyUser()");
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .grant("nowhere", g -> g.anyUser().streams("*")))
                .hasMessageStartingWith("rule 'nowhere' names no connection");
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .grant("twice", g -> g.anyUser().connections("*").streams("*"))
                        .grant("twice", g -> g.anyUser().connections("*").streams("*")))
                .hasMessage("rule 'twice' is declared twice: give each rule its own name");
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .argument("upside-down", a -> a.between(BigDecimal.TEN, BigDecimal.ONE)))
                .hasMessage("rule 'upside-down': the range's min 10 is above its max 1");
        assertThatThrownBy(() -> PermissionPolicy.custom()
                        .argument(
                                "two-checks",
                                a -> a.connections("*")
                                        .actions("refund")
                                        .path("/amount")
                                        .atMost(BigDecimal.TEN)
                                        .oneOf("1")))
                .hasMessageStartingWith("rule 'two-checks' must make exactly one check");
        assertThatThrownBy(() -> PermissionPolicy.custom().grant("bad", g -> g.connections("help desk")))
                .hasMessageContaining("a connection pattern is letters");
        assertThatThrownBy(() -> PermissionPolicy.custom().argument("bad-path", a -> a.path("amount")))
                .hasMessageContaining("JSON pointer");
    }

    @Test
    void toStringNamesTheRulesOnly() {
        assertThat(policy.toString())
                .isEqualTo("PermissionPolicy[grants=[support-desk, managers, anyone-counts], fields=[personal-data],"
                        + " arguments=[small-refunds, known-priorities, own-tickets], rowLevel=true]");
    }
}
