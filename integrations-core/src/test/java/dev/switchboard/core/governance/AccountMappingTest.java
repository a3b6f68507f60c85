package dev.switchboard.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The row rule compares a record's ACL, written in the vendor's ids, with the principal's identity in that
 * vendor account ({@link AccountMapping}), and tells connectors the same answer as a {@link RowScope}.
 */
class AccountMappingTest {
    private static final String SF = "salesforce-acme";
    private static final String ORG = "00D5e000000AbCd";

    /** Acme's users have Salesforce ids in the application's directory; other tenants have no account. */
    private static final AccountMapping ACCOUNTS = (principal, connection) -> {
        if (!connection.equals(SF) || !principal.tenantId().equals("acme")) {
            return null;
        }
        return switch (principal.userId()) {
            case "ana" -> new AccountIdentity(ORG, "005A", Set.of("sf:group:00GSales"));
            case "ben" -> new AccountIdentity(ORG, "005B", Set.of());
            default -> new AccountIdentity(ORG, null, Set.of());
        };
    };

    private static final AgentContext ANA = context(Principal.user("ana", "acme"));
    private static final AgentContext BEN = context(Principal.user("ben", "acme"));
    private static final AgentContext ZOE = context(Principal.user("zoe", "globex"));

    private static AgentContext context(Principal principal) {
        return new AgentContext(principal, "session", "trace");
    }

    private static Record record(String connection, @Nullable Acl acl) {
        return Record.builder().stream("Account")
                .id("001X")
                .source(new RecordSource("salesforce", connection, "Account"))
                .data((JsonObject) Json.parse("{\"Name\":\"Acme Ltd\"}"))
                .acl(acl)
                .build();
    }

    private static final Acl OWNED_BY_ANA = Acl.owned("005A", ORG);
    private static final Acl SHARED_WITH_SALES = new Acl("005C", ORG, Visibility.PRIVATE, Set.of("sf:group:00GSales"));
    private static final Acl ORG_WIDE = Acl.tenant(ORG);

    @Test
    void theRowRuleComparesTheAclWithTheVendorIdentityNotTheApplicationIds() {
        AccessPolicy policy = AccessPolicy.rowLevel(ACCOUNTS);

        assertThat(policy.filter(ANA, record(SF, OWNED_BY_ANA))).isNotNull();
        assertThat(policy.filter(BEN, record(SF, OWNED_BY_ANA))).isNull();
        assertThat(policy.filter(ANA, record(SF, SHARED_WITH_SALES))).isNotNull();
        assertThat(policy.filter(BEN, record(SF, SHARED_WITH_SALES))).isNull();
        assertThat(policy.filter(BEN, record(SF, ORG_WIDE))).isNotNull();
        // Without the mapping, acme's ids never equal Salesforce's: everything is withheld.
        assertThat(AccessPolicy.rowLevel().filter(ANA, record(SF, OWNED_BY_ANA)))
                .isNull();
    }

    @Test
    void aPrincipalWithoutAnAccountBehindTheConnectionSeesNothingThereNotEvenPublicRecords() {
        AccessPolicy policy = AccessPolicy.rowLevel(ACCOUNTS);
        Acl everyone = new Acl(null, ORG, Visibility.PUBLIC, Set.of());

        assertThat(policy.filter(ZOE, record(SF, everyone))).isNull();
        assertThat(policy.filter(ANA, record("hubspot-acme", everyone))).isNull();
        assertThat(policy.rowScope(ZOE, SF).keepsNothing()).isTrue();
        assertThat(policy.filter(context(Principal.system("indexer")), record(SF, null)))
                .isNotNull();
    }

    @Test
    void aMappingThatThrowsWithholdsTheRecordAndScopesToNothing() {
        AccessPolicy policy = AccessPolicy.rowLevel((principal, connection) -> {
            throw new IllegalStateException("directory unavailable");
        });

        assertThat(policy.filter(ANA, record(SF, ORG_WIDE))).isNull();
        assertThat(policy.rowScope(ANA, SF).keepsNothing()).isTrue();
    }

    @Test
    void theRowScopeAdmitsExactlyWhatTheFilterKeeps() {
        AccessPolicy policy = AccessPolicy.rowLevel(ACCOUNTS);
        Acl[] acls = {OWNED_BY_ANA, SHARED_WITH_SALES, ORG_WIDE, null, Acl.owned("005A", "00DOther")};
        for (AgentContext who : new AgentContext[] {ANA, BEN, ZOE}) {
            RowScope scope = policy.rowScope(who, SF);
            for (Acl acl : acls) {
                assertThat(scope.admits(acl))
                        .as("%s, %s", who.principal().userId(), acl)
                        .isEqualTo(policy.filter(who, record(SF, acl)) != null);
            }
        }
        assertThat(policy.rowScope(ANA, SF).identity()).isEqualTo(ACCOUNTS.identity(ANA.principal(), SF));
        assertThat(policy.rowScope(context(Principal.system("indexer")), SF).isUnrestricted())
                .isTrue();
    }

    @Test
    void aPermissionPolicyAppliesItsMappingAndScopesOnlyWhileItsRowRuleIsOn() {
        PermissionPolicy withRows = PermissionPolicy.custom()
                .grant("all", g -> g.anyUser().connections("*").streams("*"))
                .accounts(ACCOUNTS)
                .build();
        PermissionPolicy withoutRows = PermissionPolicy.custom()
                .grant("all", g -> g.anyUser().connections("*").streams("*"))
                .rowLevel(false)
                .accounts(ACCOUNTS)
                .build();

        assertThat(withRows.filter(ANA, record(SF, OWNED_BY_ANA))).isNotNull();
        assertThat(withRows.filter(BEN, record(SF, OWNED_BY_ANA))).isNull();
        assertThat(withRows.rowScope(BEN, SF)).isEqualTo(RowScope.of(ACCOUNTS.identity(BEN.principal(), SF)));
        assertThat(withoutRows.filter(BEN, record(SF, OWNED_BY_ANA))).isNotNull();
        assertThat(withoutRows.rowScope(BEN, SF).isUnrestricted()).isTrue();
        assertThat(AccessPolicy.denyAll().rowScope(ANA, SF).keepsNothing()).isTrue();
        assertThat(AccessPolicy.allowAll().rowScope(ANA, SF).isUnrestricted()).isTrue();
    }

    @Test
    void theIdentityNamesNeitherTheUserNorTheGroupsWhenPrinted() {
        AccountIdentity ana = ACCOUNTS.identity(ANA.principal(), SF);

        assertThat(String.valueOf(ana)).contains(ORG).doesNotContain("005A").doesNotContain("00GSales");
        assertThat(RowScope.of(ana).toString()).doesNotContain("005A");
    }
}
