package dev.switchboard.core.governance;

import static dev.switchboard.core.governance.PermissionPolicyTest.HELPDESK;
import static dev.switchboard.core.governance.PermissionPolicyTest.MANAGER;
import static dev.switchboard.core.governance.PermissionPolicyTest.NO_ROLE;
import static dev.switchboard.core.governance.PermissionPolicyTest.SAMS_TICKETS;
import static dev.switchboard.core.governance.PermissionPolicyTest.SUPPORT;
import static dev.switchboard.core.governance.PermissionPolicyTest.SYSTEM;
import static dev.switchboard.core.governance.PermissionPolicyTest.action;
import static dev.switchboard.core.governance.PermissionPolicyTest.read;
import static dev.switchboard.core.governance.PermissionPolicyTest.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy files: the JSON and YAML fixtures decide exactly as the same policy declared in code, and each kind
 * of mistake is refused with a message naming the file, the rule and the field.
 */
class PolicyFileTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(PolicyFileTest.class.getResource("/governance/" + name))
                .toURI());
    }

    /** Every decision and filtered record of a policy, over cases that reach each rule. */
    private static List<String> decisions(PermissionPolicy policy) {
        List<AgentContext> who = List.of(SUPPORT, MANAGER, NO_ROLE, SYSTEM);
        List<Operation> ops = List.of(
                read(HELPDESK, "tickets"),
                read(HELPDESK, "tickets", "subject", "ssn"),
                read(HELPDESK, "tickets", "email"),
                read("crm-acme", "contacts"),
                action("delete_ticket", Effect.DESTRUCTIVE, Map.of("ticket_id", "t1")),
                action("count_tickets", Effect.READ, Map.of()),
                action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", 40)),
                action("refund", Effect.WRITE, Map.of("ticket_id", "t1", "amount", new BigDecimal("100.01"))),
                action("create_ticket", Effect.WRITE, Map.of("subject", "x", "priority", "low")),
                action("create_ticket", Effect.WRITE, Map.of("subject", "x", "priority", "urgent")),
                action("add_comment", Effect.WRITE, Map.of("ticket_id", "t1", "body", "hi")),
                action("add_comment", Effect.WRITE, Map.of("ticket_id", "t2", "body", "hi")));
        List<Record> records =
                List.of(ticket("t1", Acl.tenant("acme")), ticket("t2", Acl.owned("sam", "acme")), ticket("t3", null));
        List<String> out = new ArrayList<>();
        for (AgentContext ctx : who) {
            for (Operation op : ops) {
                AccessDecision d = policy.authorize(ctx, op);
                out.add(ctx.principal().userId() + " " + op + " -> " + d.allowed() + ": " + d.reason());
            }
            for (Record r : records) {
                Record seen = policy.filter(ctx, r);
                out.add(ctx.principal().userId() + " sees " + r.id() + ": "
                        + (seen == null ? "nothing" : seen.data().names()));
            }
        }
        return out;
    }

    @Test
    void theJsonAndYamlFilesDecideAsTheCodeDoes() throws Exception {
        List<String> code = decisions(PermissionPolicyTest.shared().build());
        List<String> json = decisions(PermissionPolicy.custom()
                .load(fixture("policy.json"))
                .recordVisibility(SAMS_TICKETS)
                .build());
        List<String> yaml = decisions(PermissionPolicy.custom()
                .load(fixture("policy.yaml"))
                .recordVisibility(SAMS_TICKETS)
                .build());

        assertThat(json).isEqualTo(code);
        assertThat(yaml).isEqualTo(code);
        // The cases reach allows and denials of every kind, so equal lists say something.
        assertThat(code)
                .anyMatch(d -> d.contains("-> true"))
                .anyMatch(d -> d.contains("no rule grants it"))
                .anyMatch(d -> d.contains("forbids field 'ssn'"))
                .anyMatch(d -> d.contains("outside the allowed range"))
                .anyMatch(d -> d.contains("not one of the allowed values"))
                .anyMatch(d -> d.contains("is not visible to this principal"))
                .contains(
                        "sam sees t1: [id, subject]", "mia sees t1: [id, subject, email, ssn]", "sam sees t3: nothing");
    }

    @Test
    void aFileWithoutAVisibilityHookStillLoadsWhenNoRuleNeedsOne() throws Exception {
        Path file = write("small.yaml", """
                rules:
                  - name: reads
                    grant: {anyUser: true, connections: ["*"], streams: [tickets]}
                """);

        PermissionPolicy policy = PermissionPolicy.fromFile(file);

        assertThat(policy.authorize(NO_ROLE, read(HELPDESK, "tickets")).reason())
                .isEqualTo("rule 'reads' grants read stream helpdesk-acme/tickets");
    }

    // ---- mistakes ----------------------------------------------------------------------------------

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private PolicyFileException refused(String name, String content) throws IOException {
        Path file = write(name, content);
        PolicyFileException e = catchThrowableOfType(() -> PermissionPolicy.fromFile(file), PolicyFileException.class);
        assertThat(e).as("a PolicyFileException for " + name).isNotNull();
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.getMessage()).startsWith("policy file " + file);
        return e;
    }

    @Test
    void anUnknownKeyNamesFileRuleAndFieldAndSuggestsTheKnownOne() throws IOException {
        PolicyFileException e = refused("policy.yaml", """
                rules:
                  - name: support-desk
                    grant:
                      role: [support]
                      connections: ["*"]
                      streams: [tickets]
                """);

        assertThat(e.getMessage())
                .isEqualTo("policy file " + e.file() + ", rule 'support-desk' (rules[0]), field 'grant.role': unknown"
                        + " key (did you mean 'roles'?): write one of [actions, anyUser, connections, effects,"
                        + " exceptRoles, roles, streams, tenants]");
        assertThat(e.rule()).contains("rule 'support-desk' (rules[0])");
        assertThat(e.field()).contains("grant.role");
    }

    @Test
    void anUnknownTopLevelKeyIsAnErrorToo() throws IOException {
        PolicyFileException e = refused("policy.json", "{\"rowlevel\": false, \"rules\": []}");

        assertThat(e.getMessage())
                .isEqualTo("policy file " + e.file() + ", field 'rowlevel': unknown key (did you mean 'rowLevel'?):"
                        + " write one of [rowLevel, rules]");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatToWrite() throws IOException {
        PolicyFileException e = refused("policy.yaml", """
                rules:
                  - name: support-desk
                    grant:
                      roles: support
                      connections: ["*"]
                      streams: [tickets]
                """);

        assertThat(e.getMessage())
                .endsWith("rule 'support-desk' (rules[0]), field 'grant.roles': must be a list of strings, for example"
                        + " roles: [\"support\"] (string found)");
    }

    @Test
    void anUnknownEffectListsTheEffects() throws IOException {
        PolicyFileException e = refused("policy.json", """
                {"rules": [{"name": "ok", "grant": {"anyUser": true, "connections": ["*"], "streams": ["*"]}},
                           {"name": "deleters", "grant": {"roles": ["admin"], "connections": ["*"],
                            "actions": ["*"], "effects": ["WRITE", "DELETE"]}}]}
                """);

        assertThat(e.getMessage())
                .endsWith("rule 'deleters' (rules[1]), field 'grant.effects[1]': unknown effect 'DELETE': write READ,"
                        + " WRITE or DESTRUCTIVE");
    }

    @Test
    void aBadRangeIsRefused() throws IOException {
        String rule = """
                rules:
                  - name: small-refunds
                    argument:
                      connections: ["*"]
                      actions: [refund]
                      path: /amount
                      range: %s
                """;

        assertThat(refused("upside-down.yaml", rule.formatted("{min: 100, max: 0}"))
                        .getMessage())
                .endsWith("rule 'small-refunds' (rules[0]), field 'argument.range': min 100 is above max 0: write the"
                        + " smaller bound as min");
        assertThat(refused("text.yaml", rule.formatted("{min: 0, max: lots}")).getMessage())
                .endsWith("field 'argument.range.max': must be a number, for example max: 100 (string found)");
        assertThat(refused("empty.yaml", rule.formatted("{}")).getMessage())
                .endsWith("field 'argument.range': is empty: give min, max or both, for example range: {min: 0, max:"
                        + " 100}");
    }

    @Test
    void aRuleWithoutANameIsNamedByItsIndex() throws IOException {
        PolicyFileException e = refused("policy.yaml", """
                rules:
                  - name: reads
                    grant: {anyUser: true, connections: ["*"], streams: [tickets]}
                  - grant: {anyUser: true, connections: ["*"], actions: [add_comment]}
                """);

        assertThat(e.getMessage())
                .isEqualTo("policy file " + e.file() + ", rules[1], field 'name': missing: give every rule a name, for"
                        + " example name: support-reads");
    }

    @Test
    void aNameUsedTwiceIsRefused() throws IOException {
        PolicyFileException e = refused("policy.yaml", """
                rules:
                  - name: reads
                    grant: {anyUser: true, connections: ["*"], streams: [tickets]}
                  - name: reads
                    grant: {anyUser: true, connections: ["*"], streams: [agents]}
                """);

        assertThat(e.getMessage())
                .endsWith("rule 'reads' (rules[1]), field 'name': is the name of an earlier rule: give each rule its"
                        + " own name");
    }

    @Test
    void aRuleOfTwoKindsOrOfNoneIsRefused() throws IOException {
        assertThat(refused("two.yaml", """
                        rules:
                          - name: mixed
                            grant: {anyUser: true, connections: ["*"], streams: [tickets]}
                            fields: {connections: ["*"], streams: [tickets], hide: [email]}
                        """).getMessage())
                .endsWith("rule 'mixed' (rules[0]), field 'grant, fields': has grant and fields: one rule makes one"
                        + " kind of decision; split it");
        assertThat(refused("none.yaml", "rules: [{name: empty}]").getMessage())
                .endsWith("rule 'empty' (rules[0]): says nothing: add one of grant, fields or argument");
    }

    @Test
    void missingPartsOfARuleAreNamed() throws IOException {
        assertThat(refused("noone.yaml", "rules: [{name: g, grant: {connections: ['*'], streams: [t]}}]")
                        .getMessage())
                .endsWith("rule 'g' (rules[0]), field 'grant': names no one: add roles: [...], tenants: [...] or"
                        + " anyUser: true");
        assertThat(refused("noconn.yaml", "rules: [{name: g, grant: {anyUser: true, streams: [t]}}]")
                        .getMessage())
                .endsWith("rule 'g' (rules[0]), field 'grant.connections': missing: list the connection ids (patterns)"
                        + " it is about, or connections: [\"*\"] for all");
        assertThat(refused(
                                "nopath.yaml",
                                "rules: [{name: a, argument: {connections: ['*'], actions: [r]," + " oneOf: [x]}}]")
                        .getMessage())
                .endsWith("rule 'a' (rules[0]), field 'argument.path': missing: name the value checked, for example"
                        + " path: /amount");
        assertThat(refused(
                                "badpath.yaml",
                                "rules: [{name: a, argument: {connections: ['*'], actions: [r],"
                                        + " path: amount, oneOf: [x]}}]")
                        .getMessage())
                .contains("rule 'a' (rules[0]), field 'argument.path': a path is a JSON pointer");
        assertThat(refused(
                                "badpattern.yaml",
                                "rules: [{name: g, grant: {anyUser: true, connections: ['*'],"
                                        + " streams: [tickets, 'my tickets']}}]")
                        .getMessage())
                .contains("rule 'g' (rules[0]), field 'grant.streams[1]': a stream pattern is letters");
    }

    @Test
    void aFileThatIsNotValidYamlOrJsonSaysWhere() throws IOException {
        PolicyFileException yaml = refused("broken.yaml", "rules:\n  - name: [unclosed\n");
        PolicyFileException json = refused("broken.json", "{\"rules\": [");
        PolicyFileException duplicate = refused("dup.json", "{\"rules\": [], \"rules\": []}");

        assertThat(yaml.getMessage()).contains("is not valid YAML at line");
        assertThat(yaml.rule()).isEmpty();
        assertThat(json.getMessage()).contains("is not valid JSON at line 1");
        assertThat(duplicate.getMessage()).contains("is not valid JSON").contains("Duplicate field 'rules'");
    }

    @Test
    void aFileThatCannotBeReadOrHasAnotherExtensionIsRefused() throws IOException {
        Path missing = dir.resolve("absent.yaml");
        PolicyFileException absent =
                catchThrowableOfType(() -> PermissionPolicy.fromFile(missing), PolicyFileException.class);

        assertThat(absent.getMessage()).isEqualTo("policy file " + missing + ": cannot be read (NoSuchFileException)");
        assertThat(refused("policy.txt", "rules: []").getMessage())
                .endsWith(": the file name must end in .json, .yaml or .yml, which says how to read it");
        assertThat(refused("list.json", "[]").getMessage())
                .endsWith(": must be an object with the key rules (and optionally rowLevel), for example rules:"
                        + " [{name: support-reads, grant: {...}}]");
    }
}
