package dev.switchboard.connectors.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.governance.AccountIdentity;
import dev.switchboard.core.governance.AccountMapping;
import dev.switchboard.core.governance.PermissionPolicy;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who sees which Salesforce records, through a real Switchboard whose row rule maps the application's users
 * to the org's ({@link AccountMapping}): ACLs from the org's sharing defaults and shares, the row scope
 * pushed down as {@code OwnerId IN (...)}, and the final filter holding when the org ignores it.
 */
class SalesforceRowScopeTest {
    @RegisterExtension
    static final FakeSalesforce FAKE = new FakeSalesforce();

    private static final String CONNECTION = "sf-acme";
    private static final String SALES_GROUP = "00GRO0000000077AAA";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    private String ana;
    private String ben;
    private List<String> accounts;
    private Switchboard switchboard;

    @BeforeEach
    void setUp() {
        List<String> users =
                FAKE.records("User").stream().map(u -> u.string("Id")).toList();
        ana = users.get(1);
        ben = users.get(2);
        accounts = FAKE.records("Account").stream().map(a -> a.string("Id")).toList();
        FAKE.set("Account", accounts.get(0), "OwnerId", new dev.switchboard.core.json.JsonString(ana));
        FAKE.set("Account", accounts.get(1), "OwnerId", new dev.switchboard.core.json.JsonString(ben));
    }

    @AfterEach
    void close() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    /** ana and ben of the application's tenant acme are users of the fake org; zoe of globex has no account there. */
    private AccountMapping accounts() {
        return (principal, connection) -> {
            if (!principal.tenantId().equals("acme")) {
                return null;
            }
            return switch (principal.userId()) {
                // As the connector's docs ask: the user's own sf:user: form, and the groups they belong to.
                case "ana" ->
                    new AccountIdentity(
                            FakeSalesforce.ORG_ID, ana, Set.of("sf:user:" + ana, "sf:group:" + SALES_GROUP));
                case "ben" -> new AccountIdentity(FakeSalesforce.ORG_ID, ben, Set.of("sf:user:" + ben));
                case "other-org" -> new AccountIdentity("00DOTHER0000001AAA", ana, Set.of());
                default -> null;
            };
        };
    }

    private void connect(Map<String, String> extraSettings) {
        ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                .connector(SalesforceConnector.ID)
                .baseUrl("http://127.0.0.1:9")
                .settings(settings(extraSettings))
                .build();
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet(
                config.credentialKey(Principal.system("any")),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN)
                        .attributes(Map.of(SalesforceConnector.INSTANCE_URL, FAKE.baseUrl()))
                        .build());
        switchboard = Switchboard.builder()
                .connection(config)
                .tokenStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .accessPolicy(PermissionPolicy.custom()
                        .grant("crm", g -> g.anyUser().connections(CONNECTION).streams("*"))
                        .accounts(accounts())
                        .build())
                .build();
    }

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> all = new java.util.HashMap<>(extra);
        all.put(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID);
        return all;
    }

    private void connect() {
        connect(Map.of());
    }

    private List<String> read(String stream, Principal principal) {
        try (RecordStream records = switchboard
                .connection(CONNECTION)
                .read(new AgentContext(principal, "session", "trace"), ReadRequest.of(stream))) {
            return records.stream().map(Record::id).toList();
        }
    }

    private static Principal user(String name) {
        return Principal.user(name, "acme");
    }

    private static List<String> queries(String object) {
        return FAKE.requests().stream()
                .filter(r -> r.path().endsWith("/query") || r.path().endsWith("/queryAll"))
                .map(r -> String.valueOf(r.query("q")))
                .filter(q -> q.contains(" FROM " + object + " ") || q.endsWith(" FROM " + object))
                .toList();
    }

    @Test
    void twoUsersOfAPrivateOrgSeeOnlyTheirOwnAccountsAndEachQueryAsksOnlyForThem() {
        connect();

        assertThat(read("Account", user("ana"))).containsExactly(accounts.get(0));
        assertThat(read("Account", user("ben"))).containsExactly(accounts.get(1));
        assertThat(read("Account", Principal.system("indexer"))).containsExactlyInAnyOrderElementsOf(accounts);

        assertThat(queries("Account"))
                .hasSize(3)
                .satisfiesExactly(
                        q -> assertThat(q).contains("WHERE OwnerId IN ('" + ana + "', '" + SALES_GROUP + "')"),
                        q -> assertThat(q).contains("WHERE OwnerId IN ('" + ben + "')"),
                        q -> assertThat(q).doesNotContain("OwnerId IN"));
    }

    @Test
    void anOrgThatIgnoresThePushedDownOwnerStillLeaksNoOtherOwnersAccount() {
        FAKE.ignoreConditionsOn("OwnerId"); // answers every account, whatever the query asked
        connect();

        assertThat(read("Account", user("ben"))).containsExactly(accounts.get(1));
        assertThat(queries("Account")).singleElement().asString().contains("OwnerId IN ('" + ben + "')");
    }

    @Test
    void aPublicReadDefaultGivesEveryUserOfTheOrgEveryAccountAndItsContactsAndPushesNothing() {
        FAKE.sharingDefault("Account", "Read"); // Public Read Only; contacts are controlled by their account
        connect();

        assertThat(read("Account", user("ben"))).containsExactlyInAnyOrderElementsOf(accounts);
        assertThat(read("Contact", user("ben"))).hasSize(FAKE.records("Contact").size());
        assertThat(queries("Account")).singleElement().asString().doesNotContain("OwnerId IN");
        assertThat(queries("Contact")).singleElement().asString().doesNotContain("OwnerId IN");
        assertThat(queries("Organization")).hasSize(1); // read once for the connection
    }

    @Test
    void sharedRecordsReachTheUsersAndGroupsTheyAreSharedWithWhenSharesAreRead() {
        FAKE.share("Account", accounts.get(2), "00GRO0000000077AAA", "Rule");
        FAKE.share("Account", accounts.get(3), ben, "Manual");
        connect(Map.of(SalesforceConnector.READ_SHARES_SETTING, "true"));

        assertThat(read("Account", user("ana"))).containsExactlyInAnyOrder(accounts.get(0), accounts.get(2));
        assertThat(read("Account", user("ben"))).containsExactlyInAnyOrder(accounts.get(1), accounts.get(3));

        // Shares widen what a user sees: the owner is not pushed down, and one share query serves each page.
        assertThat(queries("Account")).hasSize(2).allSatisfy(q -> assertThat(q).doesNotContain("OwnerId IN"));
        assertThat(queries("AccountShare"))
                .hasSize(2)
                .allSatisfy(q -> assertThat(q)
                        .startsWith(
                                "SELECT AccountId, UserOrGroupId, RowCause FROM AccountShare WHERE AccountId IN ("));
    }

    @Test
    void aPrincipalWithoutAnAccountInTheOrgGetsNothingAndTheOrgIsNotQueried() {
        connect();

        assertThat(read("Account", Principal.user("zoe", "globex"))).isEmpty();
        assertThat(read("Account", user("other-org"))).isEmpty();

        assertThat(queries("Account")).isEmpty();
        assertThat(queries("Organization")).isEmpty();
    }

    @Test
    void anUnreadableSharingDefaultMakesRecordsPrivateNotPublic() {
        FAKE.sharingDefault("Account", "Edit"); // Public Read/Write...
        FAKE.removeField("Organization", "DefaultAccountAccess"); // ...but the connection cannot read it
        connect();

        assertThat(read("Account", user("ben"))).containsExactly(accounts.get(1));
        assertThat(queries("Account")).singleElement().asString().contains("OwnerId IN ('" + ben + "')");
    }
}
