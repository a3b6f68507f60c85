package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.connectors.slack.internal.SlackRecords;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import dev.switchboard.testkit.secrets.Secrets;
import dev.switchboard.testkit.secrets.TwoTenants;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The named attacks on the Slack connector, through the public {@code Switchboard} API with the row rule:
 * a private channel read by a principal who is not a member (withheld; the member, who holds the channel's
 * role, sees it), and a channel filter carrying extra parameters. Tenant B (its own workspace, in the same
 * Switchboard) holds a canary in its private channel that must never come back to tenant A.
 */
class SlackAttacksTest {
    @RegisterExtension
    static final FakeSlack TENANT_A = new FakeSlack();

    @RegisterExtension
    static final FakeSlack TENANT_B = new FakeSlack();

    private static final String PRIVATE_TS = "1700000500.000100";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    /** Not the author of the private message, and without the channel's role. */
    private final AgentContext nonMember = AgentContext.of(Principal.user("U0BOB0001", FakeSlack.TEAM_ID));
    /** The role an application's policy grants to the members of the private channel. */
    private final AgentContext member = AgentContext.of(
            Principal.user("U0ALICE01", FakeSlack.TEAM_ID).withRoles(SlackRecords.channelRole(FakeSlack.PRIVATE)));

    private TwoTenants both;
    private Connection tenantA;
    private String secretText;

    @BeforeEach
    void open() {
        TENANT_A.useClock(clock);
        TENANT_B.useClock(clock);
        secretText = "board minutes " + Secrets.canary();
        TENANT_A.addMessage(FakeSlack.PRIVATE, PRIVATE_TS, "U0CAROL01", "leadership only: reorg on Monday");
        TENANT_B.addMessage(FakeSlack.PRIVATE, PRIVATE_TS, "U0CAROL01", secretText);
        both = new TwoTenants(
                clock,
                new TwoTenants.Tenant(config("slack-a", TENANT_A), member, credential()),
                new TwoTenants.Tenant(config("slack-b", TENANT_B), member, credential()));
        tenantA = both.connection("slack-a");
    }

    @AfterEach
    void close() {
        both.close();
    }

    @Test
    void aSlackPrivateChannelIsNotReadByANonMember() {
        List<Record> messages = read(nonMember, ReadRequest.of("messages"));
        List<Record> conversations = read(nonMember, ReadRequest.of("conversations"));

        assertThat(messages).as("public messages still arrive").isNotEmpty();
        assertThat(messages).extracting(r -> r.data().string("channel")).doesNotContain(FakeSlack.PRIVATE);
        assertThat(conversations)
                .extracting(Record::id)
                .contains(FakeSlack.GENERAL)
                .doesNotContain(FakeSlack.PRIVATE);
        assertThat(historyCalls(FakeSlack.PRIVATE))
                .as("the row scope kept the connector from asking for it at all")
                .isZero();
        both.assertTenantSawNoCanary(messages);
    }

    @Test
    void aFilterNamingThePrivateChannelGivesANonMemberNothing() {
        List<Record> messages = read(nonMember, ReadRequest.of("messages").where("channel", FakeSlack.PRIVATE));

        assertThat(messages).isEmpty();
        assertThat(historyCalls(FakeSlack.PRIVATE)).isZero();
    }

    @Test
    void aMemberOfThePrivateChannelReadsIt() {
        List<Record> messages = read(member, ReadRequest.of("messages").where("channel", FakeSlack.PRIVATE));
        List<Record> conversations = read(member, ReadRequest.of("conversations"));

        assertThat(messages).extracting(r -> r.data().string("text")).contains("leadership only: reorg on Monday");
        assertThat(conversations).extracting(Record::id).contains(FakeSlack.PRIVATE);
        both.assertTenantSawNoCanary(messages);
    }

    @Test
    void aChannelFilterCarryingMoreParametersStaysOneChannelIdAndIsRefused() {
        String hostile = FakeSlack.GENERAL + "&channel=" + FakeSlack.PRIVATE;

        InvalidInputException refused = catchThrowableOfType(
                InvalidInputException.class,
                () -> read(nonMember, ReadRequest.of("messages").where("channel", hostile)));

        assertThat(refused).isNotNull();
        assertThat(refused.nextStep()).isEqualTo(NextStep.FIX_INPUT);
        assertThat(TENANT_A.requests())
                .filteredOn(r -> r.path().equals("/api/conversations.info"))
                .extracting(r -> r.param("channel"))
                .containsExactly(hostile);
        assertThat(historyCalls(FakeSlack.PRIVATE)).isZero();
    }

    private List<Record> read(AgentContext who, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = tenantA.read(who, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private static long historyCalls(String channel) {
        return TENANT_A.requests().stream()
                .filter(r -> r.path().equals("/api/conversations.history"))
                .map((FakeRequest r) -> r.param("channel"))
                .filter(channel::equals)
                .count();
    }

    private static ConnectionConfig config(String id, FakeSlack fake) {
        return ConnectionConfig.builder(id)
                .connector(SlackConnector.ID)
                .baseUrl(fake.baseUrl())
                .settings(Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID))
                .build();
    }

    private static Credential credential() {
        return Credential.builder(VendorFake.ACCESS_TOKEN).build();
    }
}
