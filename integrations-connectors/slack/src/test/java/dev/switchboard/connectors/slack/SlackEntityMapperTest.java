package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.switchboard.connectors.slack.internal.SlackRecords;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.error.SchemaDriftException;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonBoolean;
import dev.switchboard.core.json.JsonNumber;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.json.JsonValue;
import dev.switchboard.core.model.Drift;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.normalize.Email;
import dev.switchboard.normalize.Entity;
import dev.switchboard.normalize.EntityRef;
import dev.switchboard.normalize.EntityStream;
import dev.switchboard.normalize.EntityType;
import dev.switchboard.normalize.Field;
import dev.switchboard.normalize.GenericEntity;
import dev.switchboard.normalize.Message;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.normalize.Person;
import dev.switchboard.normalize.PersonKind;
import dev.switchboard.normalize.Provenance;
import dev.switchboard.normalize.User;
import dev.switchboard.normalize.Value;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.VendorSamples;
import dev.switchboard.testkit.fake.FakeSlack;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack records in the unified model: every sample holding users, messages or conversations,
 * through the connector's own {@link SlackRecords}, and users and messages read end to end from
 * {@link FakeSlack} through {@link Normalizer#read}. The samples are masked supersets (placeholder
 * values such as {@code ""}, {@code 12345}, {@code 0000000000.000000}): as they are, they show that a
 * blank placeholder is no value; copies with distinct values filled in show which field each value
 * comes from. Expected times are written out, never computed with the connector's own parsing.
 */
class SlackEntityMapperTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    private static final String CONNECTION = "slack-acme";
    private static final String TEAM = "T0ACME";
    private final Normalizer normalizer = Normalizer.standard();
    private final SlackRecords records = new SlackRecords(CONNECTION, TEAM);
    private final AgentContext context = AgentContext.of(Principal.user("agent-user", "acme"));
    private FakeConnection harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static JsonObject sample(String name) {
        return (JsonObject) VendorSamples.json("slack/" + name);
    }

    private Map<String, Entity> read(Normalizer with, String stream) {
        if (harness == null) {
            ManualClock clock = ManualClock.at(Instant.parse("2026-06-01T09:00:00Z"));
            SLACK.useClock(clock);
            harness = FakeConnection.to(SLACK, SlackConnector.ID)
                    .connectionId(CONNECTION)
                    .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                    .clock(clock)
                    .context(context)
                    .build();
        }
        Map<String, Entity> byId = new LinkedHashMap<>();
        try (EntityStream entities = with.read(harness.connection(), context, ReadRequest.of(stream))) {
            entities.forEach(e -> byId.put(e.origin().sourceId(), e));
        }
        return byId;
    }

    /**
     * A copy of a sample with this value at a path (the objects on the way are copied too), so that
     * a test asserts distinct values rather than the samples' blank placeholders.
     */
    private static JsonObject with(JsonObject o, JsonValue value, String... path) {
        String name = path[0];
        if (path.length == 1) {
            return o.newBuilder().put(name, value).build();
        }
        JsonObject inner = o.object(name);
        if (inner == null) {
            throw new IllegalArgumentException("the sample has no object at " + name);
        }
        return o.newBuilder()
                .put(name, with(inner, value, Arrays.copyOfRange(path, 1, path.length)))
                .build();
    }

    private static JsonObject with(JsonObject o, String value, String... path) {
        return with(o, new JsonString(value), path);
    }

    private static void assertFrom(Entity e, Field<?> field, String sourceField, Record record) {
        Provenance p = e.provenance(field).orElseThrow(() -> new AssertionError(field + " has no value"));
        assertThat(p.sourceField()).as(field.toString()).isEqualTo(sourceField);
        assertThat(p.origin().connector()).isEqualTo("slack");
        assertThat(p.origin().account()).isEqualTo(record.acl().tenant());
        assertThat(p.origin().sourceId()).isEqualTo(record.id());
        assertThat(p.origin().sourceVersion()).isEqualTo(record.version());
    }

    /** The users samples, their placeholder {@code team_id} made this workspace's: its own members. */
    private static List<JsonObject> userSamples() {
        return List.of(
                with(
                        (JsonObject) sample("javasdk_sample_users.list.json")
                                .array("members")
                                .get(0),
                        TEAM,
                        "team_id"),
                with(sample("javasdk_sample_users.info.json").object("user"), TEAM, "team_id"));
    }

    @Test
    void theMaskedUsersSamplesBecomeUsersWhoseBlankPlaceholdersAreNoValue() {
        for (JsonObject user : userSamples()) {
            Record record = records.user(user);
            Entity e = normalizer.normalize(record);

            assertThat(e).isInstanceOf(User.class);
            assertThat(e.ref()).isEqualTo(new EntityRef(EntityType.USER, "slack", CONNECTION, "user", "U00000000"));
            // The samples' flags: not deleted, not a bot, not an app's user.
            assertThat(e.get(User.ACTIVE)).contains(true);
            assertFrom(e, User.ACTIVE, "deleted", record);
            assertThat(e.get(User.BOT)).contains(false);
            // The masked samples hold "" placeholders: a blank name or address is no value, never an empty one.
            assertThat(e.get(User.NAME)).isEmpty();
            assertThat(e.get(User.FIRST_NAME)).isEmpty();
            assertThat(e.get(User.TITLE)).isEmpty();
            assertThat(e.get(User.EMAIL)).isEmpty();
            // "updated" is epoch seconds: the placeholder 12345.
            assertThat(e.get(User.UPDATED_AT)).contains(Instant.parse("1970-01-01T03:25:45Z"));
            assertFrom(e, User.UPDATED_AT, "updated", record);
            assertThat(e.origin().account()).isEqualTo(TEAM);
            assertThat(e.issues()).isEmpty();
        }
    }

    @Test
    void theUsersSamplesWithValuesFilledInMapEachValueFromItsField() {
        for (JsonObject sample : userSamples()) {
            JsonObject user = with(sample, "Dana Filled", "real_name");
            user = with(user, "Dana", "profile", "first_name");
            user = with(user, "Head of Support", "profile", "title");
            user = with(user, "dana@example.org", "profile", "email");
            user = with(user, JsonNumber.of(1_700_000_000L), "updated");
            Record record = records.user(user);
            Entity e = normalizer.normalize(record);

            assertThat(e.get(User.NAME)).contains("Dana Filled");
            assertThat(e.get(User.FIRST_NAME)).contains("Dana");
            assertThat(e.get(User.TITLE)).contains("Head of Support");
            assertThat(e.get(User.EMAIL)).contains(new Email("dana@example.org"));
            assertThat(e.get(User.UPDATED_AT)).contains(Instant.parse("2023-11-14T22:13:20Z"));
            assertFrom(e, User.NAME, "real_name", record);
            assertFrom(e, User.FIRST_NAME, "profile.first_name", record);
            assertFrom(e, User.TITLE, "profile.title", record);
            assertFrom(e, User.EMAIL, "profile.email", record);
            assertFrom(e, User.UPDATED_AT, "updated", record);
            assertThat(e.issues()).isEmpty();
        }
    }

    @Test
    void aBotOrAnAppsUserIsABotAndADeletedAccountIsInactive() {
        JsonObject sample = userSamples().get(0);
        Entity bot = normalizer.normalize(records.user(with(sample, JsonBoolean.of(true), "is_bot")));
        assertThat(bot.get(User.BOT)).contains(true);
        assertFrom(bot, User.BOT, "is_bot", records.user(with(sample, JsonBoolean.of(true), "is_bot")));
        Entity app = normalizer.normalize(records.user(with(sample, JsonBoolean.of(true), "is_app_user")));
        assertThat(app.get(User.BOT)).contains(true);
        assertThat(app.provenance(User.BOT).orElseThrow().sourceField()).isEqualTo("is_app_user");
        Entity gone = normalizer.normalize(records.user(with(sample, JsonBoolean.of(true), "deleted")));
        assertThat(gone.get(User.ACTIVE)).contains(false);
        Entity odd = normalizer.normalize(records.user(with(sample, "sometimes", "is_bot")));
        assertThat(odd.get(User.BOT)).isEmpty(); // is_bot unreadable: unknown, whatever is_app_user says
        assertThat(odd.issues()).extracting(Drift::field).containsExactly("is_bot");
    }

    @Test
    void aMemberOfAnotherWorkspaceInASharedChannelIsACustomersPersonNotAUser() {
        JsonObject sample = userSamples().get(0);
        JsonObject external = with(with(sample, "T0CUSTOMR", "team_id"), "dana@customer.example", "profile", "email");
        Entity e = normalizer.normalize(records.user(external));
        assertThat(e).isInstanceOf(Person.class);
        assertThat(e.get(Person.KIND).orElseThrow().code()).isEqualTo(PersonKind.CONTACT);
        assertThat(e.get(Person.EMAIL)).contains(new Email("dana@customer.example"));
        assertThat(((Person) e).emails())
                .extracting(p -> p.provenance().sourceField())
                .containsExactly("profile.email");
        // The workspace's own member (the sample's team_id is the workspace's) stays a user.
        Entity own = normalizer.normalize(records.user(with(sample, TEAM, "team_id")));
        assertThat(own).isInstanceOf(User.class);
    }

    /** A message sample as the connector reads it: from a channel, public or private. */
    private record MessageSample(String channel, boolean privateChannel, JsonObject message) {
        Record record(SlackRecords records) {
            return records.message(channel, privateChannel, message);
        }

        MessageSample with(JsonObject filled) {
            return new MessageSample(channel, privateChannel, filled);
        }
    }

    private static List<MessageSample> messageSamples() {
        return List.of(
                new MessageSample("C0ACME001", false, (JsonObject) sample("javasdk_sample_conversations.history.json")
                        .array("messages")
                        .get(0)),
                new MessageSample(
                        "C00000000",
                        true,
                        sample("javasdk_sample_chat.postMessage.json").object("message")));
    }

    @Test
    void theMaskedHistoryAndPostMessageSamplesBecomeMessagesInTheirThread() {
        for (MessageSample sample : messageSamples()) {
            Record record = sample.record(records);
            Entity e = normalizer.normalize(record);

            assertThat(e).isInstanceOf(Message.class);
            assertThat(e.get(Message.CHANNEL)).contains(sample.channel());
            assertThat(e.get(Message.TEXT)).isEmpty(); // the placeholder "" is no text
            assertThat(e.get(Message.AUTHOR))
                    .contains(new EntityRef(EntityType.USER, "slack", CONNECTION, "user", "U00000000"));
            // Every ts of the samples is the placeholder 0000000000.000000.
            assertThat(e.get(Message.THREAD)).contains(sample.channel() + ":0000000000.000000");
            assertThat(e.get(Message.SENT_AT)).contains(Instant.EPOCH);
            assertFrom(e, Message.SENT_AT, "ts", record);
            assertThat(e.issues()).isEmpty();
        }
        Record history = messageSamples().get(0).record(records);
        Entity edited = normalizer.normalize(history);
        assertThat(edited.get(Message.EDITED_AT)).contains(Instant.EPOCH);
        assertFrom(edited, Message.EDITED_AT, "edited.ts", history);
        assertThat(edited.get(Message.REPLY_COUNT)).contains(12345L);
    }

    @Test
    void theMessageSamplesWithValuesFilledInMapEachValueFromItsField() {
        for (MessageSample sample : messageSamples()) {
            JsonObject message = with(sample.message(), "Deploy finished", "text");
            message = with(message, "U0FILLED1", "user");
            message = with(message, "1700000060.000200", "ts");
            message = with(message, "1700000000.000100", "thread_ts");
            Record record = sample.with(message).record(records);
            Entity e = normalizer.normalize(record);

            assertThat(e.get(Message.TEXT)).contains("Deploy finished");
            assertThat(e.get(Message.AUTHOR))
                    .contains(new EntityRef(EntityType.USER, "slack", CONNECTION, "user", "U0FILLED1"));
            assertThat(e.get(Message.THREAD)).contains(sample.channel() + ":1700000000.000100");
            assertThat(e.get(Message.SENT_AT)).contains(Instant.parse("2023-11-14T22:14:20.000200Z"));
            assertFrom(e, Message.TEXT, "text", record);
            assertFrom(e, Message.AUTHOR, "user", record);
            assertFrom(e, Message.THREAD, "thread_ts", record);
            assertFrom(e, Message.SENT_AT, "ts", record);
            assertThat(e.issues()).isEmpty();
        }
    }

    /** Every field of a generic entity is its record's field, typed by its JSON type, from that field. */
    private static void assertTypedGeneric(Entity e) {
        assertThat(e).isInstanceOf(GenericEntity.class);
        JsonObject data = e.raw().data();
        for (String name : data.names()) {
            JsonValue raw = data.get(name);
            Optional<Value<?>> v = e.custom(name);
            if (raw.type() == JsonValue.Type.NULL
                    || raw instanceof JsonString s && s.value().isBlank()) {
                assertThat(v).as(name).isEmpty();
                continue;
            }
            Object expected = raw instanceof JsonString s
                    ? s.value()
                    : raw instanceof JsonBoolean b ? b.value() : raw instanceof JsonNumber n ? n.value() : raw;
            assertThat(v.orElseThrow().value()).as(name).isEqualTo(expected);
            assertThat(v.orElseThrow().provenance().sourceField()).isEqualTo(name);
            assertThat(v.orElseThrow().provenance().origin().sourceId())
                    .isEqualTo(e.origin().sourceId());
        }
        assertThat(e.issues()).isEmpty();
    }

    @Test
    void theConversationSamplesAreNotClaimedAndBecomeTypedGenericEntities() {
        List<JsonObject> channels = List.of(
                (JsonObject) sample("javasdk_sample_conversations.list.json")
                        .array("channels")
                        .get(0),
                sample("javasdk_sample_conversations.info.json").object("channel"),
                (JsonObject) sample("pysdk_web_response_conversations_list_pagination.json")
                        .array("channels")
                        .get(0),
                (JsonObject) sample("pysdk_web_response_conversations_list_pagination_has_page2.json")
                        .array("channels")
                        .get(0));
        for (JsonObject channel : channels) {
            Entity e = normalizer.normalize(records.conversation(channel));
            assertTypedGeneric(e);
            assertThat(e.origin().sourceId()).isEqualTo(channel.string("id"));
        }
        Entity listed = normalizer.normalize(records.conversation(channels.get(0)));
        assertThat(listed.custom("created").orElseThrow().value()).isEqualTo(new BigDecimal("12345"));
        assertThat(listed.custom("topic").orElseThrow().value()).isInstanceOf(JsonObject.class);
        assertThat(listed.custom("is_private").orElseThrow().value()).isEqualTo(Boolean.FALSE);
    }

    @Test
    void usersAndMessagesReadThroughTheConnectorFromTheFake() {
        Map<String, Entity> users = read(normalizer, "users");
        assertThat(users).containsKeys(FakeSlack.USERS.toArray(String[]::new));
        Entity alice = users.get("U0ALICE01");
        assertThat(alice.get(User.NAME)).contains("Alice Example");
        assertThat(alice.get(User.FIRST_NAME)).contains("Alice");
        assertThat(alice.get(User.LAST_NAME)).contains("Example");
        assertThat(alice.get(User.EMAIL)).contains(new Email("alice@example.com"));
        assertThat(alice.provenance(User.EMAIL).orElseThrow().sourceField()).isEqualTo("profile.email");
        assertThat(alice.origin().account()).isEqualTo(FakeSlack.TEAM_ID);

        SLACK.addMessage(FakeSlack.GENERAL, "1700000300.000400", "U0BOB0001", "Standup moved");
        Map<String, Entity> messages = read(normalizer, "messages");
        Entity added = messages.get(FakeSlack.GENERAL + ":1700000300.000400");
        assertThat(added.get(Message.TEXT)).contains("Standup moved");
        assertThat(added.get(Message.SENT_AT)).contains(Instant.parse("2023-11-14T22:18:20.000400Z"));
        List<JsonObject> stored = SLACK.messages(FakeSlack.GENERAL);
        assertThat(stored).isNotEmpty();
        for (JsonObject m : stored) {
            Entity e = messages.get(SlackRecords.messageId(FakeSlack.GENERAL, m.string("ts")));
            assertThat(e).as(m.string("ts")).isNotNull();
            assertThat(e.get(Message.TEXT)).contains(m.string("text"));
            // Authors are users read from the same connection: a ref names the user entity.
            assertThat(e.get(Message.AUTHOR).orElseThrow())
                    .isEqualTo(users.get(m.string("user")).ref());
        }
        assertThat(messages.values()).allSatisfy(e -> assertThat(e).isInstanceOf(Message.class));
    }

    @Test
    void repliesNameTheirThreadAndEditsTheirTime() {
        SLACK.addMessage(FakeSlack.RANDOM, "1700000000.000100", "U0ALICE01", "Parent");
        SLACK.addReply(FakeSlack.RANDOM, "1700000000.000100", "1700000060.000200", "U0BOB0001", "Reply");

        Map<String, Entity> messages = read(normalizer, "messages");
        Entity reply = messages.get(FakeSlack.RANDOM + ":1700000060.000200");
        assertThat(reply.get(Message.THREAD)).contains(FakeSlack.RANDOM + ":1700000000.000100");
        assertThat(reply.get(Message.SENT_AT)).contains(Instant.parse("2023-11-14T22:14:20.000200Z"));
        Entity parent = messages.get(FakeSlack.RANDOM + ":1700000000.000100");
        assertThat(parent.get(Message.REPLY_COUNT).orElseThrow()).isGreaterThanOrEqualTo(1L);

        Entity edited = normalizer.normalize(records.message("C1", false, (JsonObject) Json.parse("""
        {"type":"message","user":"U1","text":"fixed","ts":"1700000000.000100","edited":{"user":"U1","ts":"1700000120.000000"}}""")));
        assertThat(edited.get(Message.EDITED_AT)).contains(Instant.parse("2023-11-14T22:15:20Z"));
        assertThat(edited.get(Message.THREAD)).isEmpty(); // not in a thread
    }

    private Record wrongTypes() {
        return records.user((JsonObject) Json.parse("""
        {"id":"U0TYPED01","team_id":"T0ACME","name":"typed","deleted":false,"real_name":"Typed User","updated":"soon",
         "profile":{"email":42,"phone":"call the front desk","title":["a","b"]}}"""));
    }

    @Test
    void aValueOfTheWrongTypeIsAnIssueAndItsFieldStaysEmpty() {
        Entity e = normalizer.normalize(wrongTypes());

        assertThat(e.get(User.NAME)).contains("Typed User");
        assertThat(e.get(User.EMAIL)).isEmpty();
        assertThat(e.get(User.PHONE)).isEmpty();
        assertThat(e.get(User.TITLE)).isEmpty();
        assertThat(e.get(User.UPDATED_AT)).isEmpty();
        assertThat(e.issues())
                .extracting(Drift::field, Drift::kind)
                .containsExactlyInAnyOrder(
                        tuple("profile.email", Drift.Kind.TYPE_CHANGED),
                                tuple("profile.phone", Drift.Kind.TYPE_CHANGED),
                        tuple("profile.title", Drift.Kind.TYPE_CHANGED), tuple("updated", Drift.Kind.TYPE_CHANGED));
        assertThat(e.issues().toString()).doesNotContain("front desk");

        Entity message = normalizer.normalize(records.message("C1", false, (JsonObject) Json.parse("""
        {"type":"message","user":"U1","ts":"1700000000.000100","reply_count":"several"}""")));
        assertThat(message.get(Message.REPLY_COUNT)).isEmpty();
        assertThat(message.issues()).extracting(Drift::field).containsExactly("reply_count");
    }

    @Test
    void strictModeRefusesARecordWithAValueOfTheWrongType() {
        Normalizer strict = Normalizer.builder().strict(true).build();
        assertThatThrownBy(() -> strict.normalize(wrongTypes()))
                .isInstanceOfSatisfying(
                        SchemaDriftException.class, e -> assertThat(e.drifts()).hasSize(4));
        // What the fake serves is clean: strict mode reads it all.
        assertThat(read(strict, "users"))
                .isNotEmpty()
                .allSatisfy((id, e) -> assertThat(e.issues()).isEmpty());
    }
}
