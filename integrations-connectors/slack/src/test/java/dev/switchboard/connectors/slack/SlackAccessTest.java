package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
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
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Acl;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.RecordSource;
import dev.switchboard.core.model.Visibility;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.testkit.fake.FakeRequest;
import dev.switchboard.testkit.fake.FakeSlack;
import dev.switchboard.testkit.fake.VendorFake;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack's own facts as the row rule of a real Switchboard sees them: an application maps its users to Slack
 * identities with {@link SlackMemberships} (read through the Switchboard as a system principal), and
 * {@code PermissionPolicy.custom().accounts(...)} compares them with the records' ACLs. Reads push that scope
 * down as a channel list: FakeSlack's journal shows which conversations' history was asked for.
 */
class SlackAccessTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String CONNECTION = "slack-acme";
    private static final String ALICE = FakeSlack.USERS.get(0);
    private static final String BOB = FakeSlack.USERS.get(1);
    private static final String CAROL = FakeSlack.USERS.get(2);
    private static final String DM_ALICE = "D0ALICE01";
    private static final String GROUP_DM = "C0MPIM001";

    private final ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
    /** The application's directory: its user ids to their Slack identities, filled from Slack's facts. */
    private final Map<String, AccountIdentity> directory = new ConcurrentHashMap<>();

    private final AccountMapping accounts =
            (principal, connection) -> connection.equals(CONNECTION) ? directory.get(principal.userId()) : null;
    private final AgentContext system = AgentContext.of(Principal.system("slack-directory"));
    private Switchboard switchboard;

    @BeforeEach
    void open() {
        SLACK.useClock(clock);
        SLACK.members(FakeSlack.PRIVATE, List.of(ALICE, FakeSlack.BOT_USER_ID));
        SLACK.addMessage(FakeSlack.PRIVATE, "1700000500.000100", ALICE, "board minutes");
        SLACK.addDm(DM_ALICE, ALICE);
        SLACK.addMessage(DM_ALICE, "1700000600.000100", ALICE, "a word with the bot");
        SLACK.addGroupDm(GROUP_DM, List.of(ALICE, CAROL));
        SLACK.addMessage(GROUP_DM, "1700000700.000100", CAROL, "lunch?");

        ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                .connector(SlackConnector.ID)
                .baseUrl(SLACK.baseUrl())
                .settings(Map.of(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID))
                .build();
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet(
                config.credentialKey(system.principal()),
                0,
                Credential.builder(VendorFake.ACCESS_TOKEN).build());
        switchboard = Switchboard.builder()
                .connection(config)
                .tokenStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .accessPolicy(PermissionPolicy.custom()
                        .grant("slack", g -> g.anyUser().connections(CONNECTION).streams("*"))
                        .accounts(accounts)
                        .build())
                .build();
    }

    @AfterEach
    void close() {
        switchboard.close();
    }

    /** What an application's directory job does: the user's record and conversations, read as a system principal. */
    private void map(String appUser, String slackUser) {
        Record user = read(system, ReadRequest.of("users")).stream()
                .filter(u -> u.id().equals(slackUser))
                .findFirst()
                .orElseThrow();
        AccountIdentity identity =
                SlackMemberships.identity(FakeSlack.TEAM_ID, user, read(system, SlackMemberships.request(slackUser)));
        directory.put(appUser, identity);
    }

    private static Principal user(String appUser) {
        return Principal.user(appUser, "acme");
    }

    private List<Record> read(AgentContext context, ReadRequest request) {
        List<Record> records = new ArrayList<>();
        try (RecordStream stream = switchboard.connection(CONNECTION).read(context, request)) {
            stream.forEach(records::add);
        }
        return records;
    }

    private List<Record> read(Principal principal, ReadRequest request) {
        return read(AgentContext.of(principal), request);
    }

    private static List<String> texts(List<Record> messages) {
        return messages.stream().map(r -> r.data().string("text")).toList();
    }

    private static List<String> channels(List<Record> messages) {
        return messages.stream().map(r -> r.data().string("channel")).distinct().toList();
    }

    /** Where the requests of interest start in FakeSlack's journal. */
    private int mark;

    private void clearJournal() {
        mark = SLACK.requests().size();
    }

    /** The requests FakeSlack received since {@link #clearJournal()}. */
    private List<FakeRequest> journal() {
        List<FakeRequest> all = SLACK.requests();
        return all.subList(mark, all.size());
    }

    /** The channels whose history Slack was asked for since {@link #clearJournal()}. */
    private List<String> historyAskedFor() {
        return journal().stream()
                .filter(r -> r.path().equals("/api/conversations.history"))
                .map(r -> r.query("channel"))
                .distinct()
                .toList();
    }

    @Test
    void aNonMemberNeverGetsAPrivateChannelsMessagesAndSlackIsNotAskedForItsHistory() {
        map("app-bob", BOB);
        clearJournal();

        List<Record> messages = read(user("app-bob"), ReadRequest.of("messages"));

        assertThat(channels(messages)).containsExactlyInAnyOrder(FakeSlack.GENERAL, FakeSlack.RANDOM);
        assertThat(texts(messages)).doesNotContain("board minutes");
        assertThat(historyAskedFor()).containsExactlyInAnyOrder(FakeSlack.GENERAL, FakeSlack.RANDOM);
    }

    @Test
    void aMemberGetsThePrivateChannelsMessages() {
        map("app-alice", ALICE);
        clearJournal();

        List<Record> messages = read(user("app-alice"), ReadRequest.of("messages"));

        assertThat(texts(messages)).contains("board minutes");
        assertThat(historyAskedFor()).contains(FakeSlack.PRIVATE);
        assertThat(directory.get("app-alice").groups()).contains("slack:channel:" + FakeSlack.PRIVATE);
    }

    @Test
    void aPublicChannelIsReadForEveryoneInTheWorkspace() {
        map("app-bob", BOB);
        map("app-carol", CAROL);
        List<Record> all = read(system, ReadRequest.of("messages"));
        List<String> publicIds = all.stream()
                .filter(r -> !r.data().string("channel").equals(FakeSlack.PRIVATE))
                .map(Record::id)
                .toList();

        assertThat(read(user("app-bob"), ReadRequest.of("messages")))
                .extracting(Record::id)
                .containsExactlyInAnyOrderElementsOf(publicIds);
        assertThat(read(user("app-carol"), ReadRequest.of("messages")))
                .extracting(Record::id)
                .containsExactlyInAnyOrderElementsOf(publicIds);
        assertThat(publicIds).hasSize(6); // FakeSlack's seeded messages in #general and #random
    }

    @Test
    void directMessagesAndGroupDirectMessagesAreSeenByTheirMembersOnly() {
        map("app-alice", ALICE);
        map("app-bob", BOB);
        map("app-carol", CAROL);
        clearJournal();

        assertThat(texts(read(user("app-alice"), ReadRequest.of("messages").where("channel", DM_ALICE))))
                .containsExactly("a word with the bot");
        assertThat(texts(read(user("app-carol"), ReadRequest.of("messages").where("channel", GROUP_DM))))
                .containsExactly("lunch?");
        assertThat(historyAskedFor()).containsExactlyInAnyOrder(DM_ALICE, GROUP_DM);

        clearJournal();
        assertThat(read(user("app-bob"), ReadRequest.of("messages").where("channel", DM_ALICE)))
                .isEmpty();
        assertThat(read(user("app-bob"), ReadRequest.of("messages").where("channel", GROUP_DM)))
                .isEmpty();
        assertThat(read(user("app-carol"), ReadRequest.of("messages").where("channel", DM_ALICE)))
                .isEmpty();
        assertThat(historyAskedFor()).isEmpty();

        // The records themselves: private to the conversation's group, whoever reads them.
        Record dm = read(system, ReadRequest.of("messages").where("channel", DM_ALICE))
                .get(0);
        assertThat(dm.acl())
                .isEqualTo(new Acl(null, FakeSlack.TEAM_ID, Visibility.PRIVATE, Set.of("slack:channel:" + DM_ALICE)));
    }

    @Test
    void aMessageSlackWronglyAnswersInAPublicChannelsHistoryIsStillWithheldFromNonMembers() {
        map("app-alice", ALICE);
        map("app-bob", BOB);
        SLACK.misrouteHistory(FakeSlack.PRIVATE, FakeSlack.GENERAL);

        assertThat(texts(read(user("app-bob"), ReadRequest.of("messages").where("channel", FakeSlack.GENERAL))))
                .isNotEmpty()
                .doesNotContain("board minutes");
        assertThat(texts(read(user("app-alice"), ReadRequest.of("messages").where("channel", FakeSlack.GENERAL))))
                .contains("board minutes");
    }

    @Test
    void aPrincipalWithoutASlackAccountGetsNothingAndSlackIsNotCalled() {
        // zoe has no Slack account; kim's identity is of another workspace.
        directory.put("app-kim", new AccountIdentity("T0OTHER01", "U0KIM0001", Set.of("slack:channel:" + DM_ALICE)));
        clearJournal();

        for (String who : List.of("app-zoe", "app-kim")) {
            for (ReadRequest request : List.of(
                    ReadRequest.of("messages"),
                    ReadRequest.of("messages").where("channel", DM_ALICE),
                    ReadRequest.of("conversations"),
                    ReadRequest.of("users"),
                    SlackMemberships.request(ALICE))) {
                assertThat(read(user(who), request))
                        .as(who + " " + request.stream())
                        .isEmpty();
            }
        }
        // Paths only: a failure message must not print the requests' bearer tokens.
        assertThat(journal()).extracting(FakeRequest::path).isEmpty();
    }

    @Test
    void aCheckpointLeftByANonMembersReadGivesAMemberThePrivateChannelFromItsStart() {
        map("app-alice", ALICE);
        map("app-bob", BOB);
        Checkpoint afterBob;
        try (RecordStream stream =
                switchboard.connection(CONNECTION).read(AgentContext.of(user("app-bob")), ReadRequest.of("messages"))) {
            stream.forEach(r -> {});
            afterBob = stream.checkpoint();
        }
        SLACK.addMessage(FakeSlack.PRIVATE, "1700000400.000100", ALICE, "older minutes");
        clock.advance(Duration.ofMinutes(1));

        List<Record> resumed =
                read(user("app-alice"), ReadRequest.of("messages").since(afterBob));

        // The public channels were covered by bob's read; the private one, skipped for him, is read from its start.
        assertThat(texts(resumed)).containsExactlyInAnyOrder("board minutes", "older minutes");
    }

    @Test
    void aSystemPrincipalIsNotNarrowedAndReadsEveryChannelTheAppIsIn() {
        clearJournal();

        assertThat(channels(read(system, ReadRequest.of("messages"))))
                .containsExactlyInAnyOrder(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);
        assertThat(historyAskedFor()).containsExactlyInAnyOrder(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE);
    }

    @Test
    void aUsersMembershipsArePagedAndSlacksRateLimitIsWaitedOut() {
        SLACK.throttleRetryAfter(7);
        SLACK.faults().onlyFor("/api/users.conversations").after(2).throttles(1);
        clearJournal();
        Instant before = clock.instant();

        List<Record> conversations =
                read(system, SlackMemberships.request(ALICE).pageSize(2));

        // HIDDEN has alice as a member, but the app is not in it: Slack does not list it to the bot's token.
        assertThat(conversations)
                .extracting(Record::id)
                .containsExactlyInAnyOrder(FakeSlack.GENERAL, FakeSlack.RANDOM, FakeSlack.PRIVATE, DM_ALICE, GROUP_DM);
        List<FakeRequest> calls = journal().stream()
                .filter(r -> r.path().equals("/api/users.conversations"))
                .toList();
        assertThat(calls).hasSize(4); // three pages of two at most, one of them refused once with 429
        assertThat(calls).allSatisfy(r -> {
            assertThat(r.query("user")).isEqualTo(ALICE);
            assertThat(r.query("types")).isEqualTo("public_channel,private_channel,mpim,im");
        });
        assertThat(calls.get(0).query("cursor")).isNull();
        assertThat(calls.get(1).query("cursor")).isNotBlank();
        assertThat(Duration.between(before, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
        assertThat(SlackMemberships.groups(conversations))
                .containsExactlyInAnyOrder(
                        "slack:channel:" + FakeSlack.GENERAL,
                        "slack:channel:" + FakeSlack.RANDOM,
                        "slack:channel:" + FakeSlack.PRIVATE,
                        "slack:channel:" + DM_ALICE,
                        "slack:channel:" + GROUP_DM);
    }

    @Test
    void guestsDeactivatedUsersAndPeopleOfOtherWorkspacesAreGivenNoIdentity() {
        Record alice = read(system, ReadRequest.of("users")).stream()
                .filter(u -> u.id().equals(ALICE))
                .findFirst()
                .orElseThrow();
        List<Record> conversations = read(system, SlackMemberships.request(ALICE));

        assertThat(SlackMemberships.identity(FakeSlack.TEAM_ID, alice, conversations))
                .isEqualTo(new AccountIdentity(FakeSlack.TEAM_ID, ALICE, SlackMemberships.groups(conversations)));
        for (String flag : List.of("is_restricted", "is_ultra_restricted", "deleted", "is_stranger")) {
            Record changed =
                    withData(alice, alice.data().newBuilder().put(flag, true).build());
            assertThat(SlackMemberships.identity(FakeSlack.TEAM_ID, changed, conversations))
                    .as(flag)
                    .isNull();
        }
        Record elsewhere = withData(
                alice, alice.data().newBuilder().put("team_id", "T0OTHER01").build());
        assertThat(SlackMemberships.identity(FakeSlack.TEAM_ID, elsewhere, conversations))
                .isNull();
        Record gridMember = withData(
                elsewhere,
                elsewhere
                        .data()
                        .newBuilder()
                        .put("enterprise_user", (JsonObject)
                                Json.parse("{\"teams\":[\"T0OTHER01\",\"" + FakeSlack.TEAM_ID + "\"]}"))
                        .build());
        assertThat(SlackMemberships.identity(FakeSlack.TEAM_ID, gridMember, conversations))
                .isNotNull();
        assertThatThrownBy(() -> SlackMemberships.identity(FakeSlack.TEAM_ID, conversations.get(0), conversations))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Record withData(Record r, JsonObject data) {
        return Record.builder().stream(r.stream())
                .id(r.id())
                .source(new RecordSource(
                        r.source().connector(),
                        r.source().connection(),
                        r.source().object()))
                .data(data)
                .acl(r.acl())
                .build();
    }
}
