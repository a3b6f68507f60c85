package dev.switchboard.testkit.fake;

import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonArray;
import dev.switchboard.core.json.JsonNull;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.json.JsonValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A fake of Slack's Web API ({@code /api/{method}}), stateful and shaped like the real answers
 * (checked against the masked samples in {@code vendor-samples/slack}):
 * <ul>
 *   <li>methods: {@code conversations.list}, {@code conversations.info}, {@code conversations.history},
 *       {@code conversations.replies}, {@code users.list}, {@code users.conversations} (a user's
 *       conversations: public ones always, the others only where the bot is a member too, as Slack answers
 *       a bot token; without {@code num_members} and {@code is_member}), {@code chat.postMessage} (posting
 *       adds to history and to the parent's thread), {@code auth.test}, {@code api.test};
 *   <li>members of each conversation ({@link #members}): channels, group DMs ({@link #addGroupDm}) and DMs
 *       with the bot ({@link #addDm}), shaped as Slack's objects for them are (a DM's has no {@code name}
 *       or {@code is_private}); events carry {@code channel_type} {@code channel}, {@code group},
 *       {@code mpim} or {@code im};
 *   <li>pagination: {@code limit} and {@code cursor}, answered with {@code response_metadata.next_cursor}
 *       (empty on the last page); an unknown cursor is {@code invalid_cursor};
 *   <li>errors as Slack sends them: HTTP 200 with {@code {"ok": false, "error": "..."}} ({@code not_authed}
 *       without a token, {@code invalid_auth} or the code set by {@link #rejectTokensWith} for a bad one,
 *       {@code channel_not_found}, {@code not_in_channel}, {@code no_text}, {@code msg_too_long},
 *       {@code invalid_cursor}); any code on demand with {@link #failNext};
 *   <li>rate limits per method tier (Tier 1..4: 1, 20, 50, 100 a minute by default, configurable and
 *       scalable with {@link #tierLimit} and {@link #tierWindow}) and per channel for
 *       {@code chat.postMessage} (1 a second), answered with HTTP 429, {@code Retry-After} in seconds
 *       and {@code {"ok": false, "error": "ratelimited"}}; every answer carries
 *       {@code X-Slack-Req-Id}, {@code X-OAuth-Scopes} and {@code X-Accepted-OAuth-Scopes};
 *   <li>a workspace that changes: {@link #postMessage} (at the clock's now, as a user posts),
 *       {@link #postReply}, {@link #editMessage}, {@link #deleteMessage}, and {@link #onRequest} to
 *       change it while a read is under way; cursors that expire ({@link #cursorsExpireAfter});
 *   <li>the Events API: every change after seeding is also an event delivery signed as Slack signs
 *       them (signing secret v0, {@link #deliveries()}), which a test hands to the application's
 *       webhook route; retries ({@link SignedEvent#retry}) and the {@code url_verification} challenge.
 * </ul>
 * Seeded with four channels (two public, one private the bot is in, one private it is not in; the three
 * users are members of each, the bot of all but the last), four users and messages with a thread. Time comes from {@link #useClock} (the system clock by default),
 * so a test in virtual time can share its clock with the fake.
 */
public final class FakeSlack extends VendorFake {
    public static final String TEAM_ID = "T0SWBOARD";
    public static final String BOT_USER_ID = "U0SWBOT01";
    public static final String BOT_ID = "B0SWBOT01";
    public static final String APP_ID = "A0SWAPP01";
    /** Public channels the bot is a member of. */
    public static final String GENERAL = "C0GENERAL";

    public static final String RANDOM = "C0RANDOM1";
    /** A private channel the bot is a member of. */
    public static final String PRIVATE = "G0PRIVATE";
    /** A private channel the bot is not in: invisible to it. */
    public static final String HIDDEN = "G0HIDDEN1";

    public static final List<String> USERS = List.of("U0ALICE01", "U0BOB0001", "U0CAROL01");
    /** The ts of the first seeded message (2023-11-14). */
    public static final long SEED_EPOCH_SECOND = 1_700_000_000L;

    private static final int[] DEFAULT_TIER_LIMITS = {0, 1, 20, 50, 100};
    private static final Map<String, Integer> TIERS = Map.of(
            "conversations.list",
            2,
            "conversations.info",
            3,
            "conversations.history",
            3,
            "conversations.replies",
            3,
            "users.list",
            2,
            "users.conversations",
            3,
            "auth.test",
            4,
            "api.test",
            4);
    private static final Map<String, String> SCOPES_ACCEPTED = Map.of(
            "conversations.list", "channels:read,groups:read,mpim:read,im:read",
            "conversations.info", "channels:read,groups:read,mpim:read,im:read",
            "conversations.history", "channels:history,groups:history,mpim:history,im:history",
            "conversations.replies", "channels:history,groups:history,mpim:history,im:history",
            "users.list", "users:read",
            "users.conversations", "channels:read,groups:read,mpim:read,im:read",
            "chat.postMessage", "chat:write");
    private static final String GRANTED_SCOPES =
            "channels:read,groups:read,channels:history,groups:history,users:read,chat:write";
    private static final int MAX_TEXT = 40_000;

    private final Map<String, JsonObject> channels = new TreeMap<>();
    /** The members of each conversation, the bot included when it is in. */
    private final Map<String, java.util.LinkedHashSet<String>> members = new HashMap<>();
    /** Channels whose history also answers another channel's messages: a vendor bug, on demand. */
    private final Map<String, String> misrouted = new HashMap<>();

    private final Map<String, TreeMap<BigDecimal, JsonObject>> messages = new HashMap<>();
    private final List<JsonObject> users = new ArrayList<>();
    private final Map<String, Deque<Instant>> rateWindows = new HashMap<>();
    /** The highest ts each channel has issued, deleted messages included. */
    private final Map<String, BigDecimal> issued = new HashMap<>();

    private final Map<String, Deque<JsonObject>> forcedErrors = new HashMap<>();
    private final Map<String, List<Instant>> requestTimes = new HashMap<>();
    private final List<SignedEvent> deliveries = new ArrayList<>();
    private final AtomicInteger eventIds = new AtomicInteger();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final AtomicInteger posted = new AtomicInteger();
    private final int[] tierLimits = DEFAULT_TIER_LIMITS.clone();
    private volatile Clock clock = Clock.systemUTC();
    private Duration tierWindow = Duration.ofMinutes(1);
    private int postsPerSecondPerChannel = 1;
    private boolean enforceRateLimits = true;
    private String rejectedTokenError = "invalid_auth";
    private int answersToDrop;
    private long throttleRetryAfterSeconds = 1;
    private Duration tierWindowSkew = Duration.ZERO;
    private @Nullable Duration cursorLifetime;
    private @Nullable Consumer<String> requestHook;
    private String signingSecret = SIGNING_SECRET;

    /** The signing secret deliveries are signed with unless a test sets another ({@link #signingSecret(String)}). */
    public static final String SIGNING_SECRET = dev.switchboard.testkit.secrets.Secrets.register(
            dev.switchboard.testkit.secrets.SecretKind.CLIENT_SECRET, "8f742231b10e8888abcd99yyyzzz85a5");

    // ---- what a test switches on ----

    /** Takes time (message ts, rate windows) from this clock, e.g. the test's virtual clock. */
    public FakeSlack useClock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Requests a tier allows per {@link #tierWindow} (Slack: 1, 20, 50, 100 a minute). */
    public synchronized FakeSlack tierLimit(int tier, int requests) {
        tierLimits[tier] = requests;
        return this;
    }

    /** The window tier limits count over (a minute at Slack; shorter to scale a test down in time). */
    public synchronized FakeSlack tierWindow(Duration window) {
        this.tierWindow = window;
        return this;
    }

    /**
     * How much longer than {@link #tierWindow} Slack's count of a tier looks from the client: Slack's
     * clock and the network are not the client's, so a request sent a whole window after the
     * limit-th one before it can still arrive inside Slack's window (seen at 59.991 s of a minute).
     * A request is refused when the limit of requests arrived within {@code window + skew} before it,
     * counting the window's ends. Zero by default.
     */
    public synchronized FakeSlack tierWindowSkew(Duration skew) {
        this.tierWindowSkew = skew;
        return this;
    }

    /**
     * Cursors older than {@code lifetime} (by the fake's clock) answer {@code invalid_cursor}, as
     * Slack's do once they expire. Cursors never expire by default.
     */
    public synchronized FakeSlack cursorsExpireAfter(Duration lifetime) {
        this.cursorLifetime = lifetime;
        return this;
    }

    /**
     * Runs {@code hook} with the method's name as each Web API request arrives, before it is
     * answered (a throttled or refused one included): a test changes the workspace there while a read
     * is under way. The hook runs under the fake's lock and may call its mutators.
     */
    public synchronized FakeSlack onRequest(Consumer<String> hook) {
        this.requestHook = hook;
        return this;
    }

    /** The signing secret of the fake's app: event deliveries are signed with it. */
    public synchronized FakeSlack signingSecret(String secret) {
        if (secret.length() >= dev.switchboard.testkit.secrets.SecretRegistry.MIN_LENGTH) {
            dev.switchboard.testkit.secrets.Secrets.register(
                    dev.switchboard.testkit.secrets.SecretKind.CLIENT_SECRET, secret);
        }
        this.signingSecret = secret;
        return this;
    }

    /**
     * The next call of {@code method} answers {@code missing_scope}, naming the scope it needed and
     * those the token has, as Slack does when a grant lacks a scope.
     */
    public synchronized FakeSlack missingScope(String method, String needed) {
        forcedErrors
                .computeIfAbsent(method, m -> new ArrayDeque<>())
                .add(error("missing_scope")
                        .newBuilder()
                        .put("needed", needed)
                        .put("provided", GRANTED_SCOPES)
                        .build());
        return this;
    }

    /** When the requests of {@code method} arrived, by the fake's clock, in order (refused ones included). */
    public synchronized List<Instant> requestTimes(String method) {
        return List.copyOf(requestTimes.getOrDefault(method, List.of()));
    }

    /** Posts a channel accepts per second before 429 (Slack: about 1). */
    public synchronized FakeSlack postsPerSecondPerChannel(int posts) {
        this.postsPerSecondPerChannel = posts;
        return this;
    }

    /** Switches tier and posting limits on or off (on by default). */
    public synchronized FakeSlack enforceRateLimits(boolean on) {
        this.enforceRateLimits = on;
        return this;
    }

    /** The {@code Retry-After} (seconds) of throttling answers from {@link Faults#throttles}. */
    public synchronized FakeSlack throttleRetryAfter(long seconds) {
        this.throttleRetryAfterSeconds = seconds;
        return this;
    }

    /** The error a rejected token meets: {@code invalid_auth} (default), {@code token_expired}, {@code token_revoked}, {@code account_inactive}. */
    public synchronized FakeSlack rejectTokensWith(String error) {
        this.rejectedTokenError = error;
        return this;
    }

    /** Forgets the errors {@link #failNext} and {@link #missingScope} still had to answer. */
    public synchronized FakeSlack clearForcedErrors() {
        forcedErrors.clear();
        return this;
    }

    /**
     * The next {@code times} calls of {@code method} (or of any method, for {@code "*"}) answer
     * HTTP 200 {@code {"ok": false, "error": error}}, e.g. {@code ratelimited}, {@code internal_error}.
     */
    public synchronized FakeSlack failNext(String method, String error, int times) {
        Deque<JsonObject> q = forcedErrors.computeIfAbsent(method, m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            q.add(error(error));
        }
        return this;
    }

    /** The next {@code posts} accepted posts are stored, then their answer is lost (the connection is reset). */
    public synchronized FakeSlack dropAnswersToPosts(int posts) {
        this.answersToDrop = posts;
        return this;
    }

    /** 429s the fake's own tier and posting limits sent (throttles from {@link Faults} not included). */
    public int rateLimitedAnswers() {
        return rateLimited.get();
    }

    /** Messages stored by {@code chat.postMessage} since the last reset. */
    public int postedMessages() {
        return posted.get();
    }

    private enum Kind {
        PUBLIC_CHANNEL,
        PRIVATE_CHANNEL,
        GROUP_DM
    }

    /** A conversation object with the fields and flags Slack's {@code conversations.list} gives one of this kind. */
    private static JsonObject conversation(
            String id,
            String name,
            long created,
            Kind kind,
            String creator,
            boolean botIsMember,
            String purpose,
            int numMembers) {
        return JsonObject.builder()
                .put("id", id)
                .put("name", name)
                .put("is_channel", kind == Kind.PUBLIC_CHANNEL)
                .put("is_group", kind == Kind.PRIVATE_CHANNEL)
                .put("is_im", false)
                .put("is_mpim", kind == Kind.GROUP_DM)
                .put("is_private", kind != Kind.PUBLIC_CHANNEL)
                .put("created", created)
                .put("is_archived", false)
                .put("is_general", name.equals("general"))
                .put("unlinked", 0)
                .put("name_normalized", name)
                .put("is_shared", false)
                .put("is_org_shared", false)
                .put("is_pending_ext_shared", false)
                .put("pending_shared", JsonArray.empty())
                .put("context_team_id", TEAM_ID)
                .put("updated", created * 1000 + 123)
                .put("creator", creator)
                .put("is_ext_shared", false)
                .put("shared_team_ids", Json.strings(List.of(TEAM_ID)))
                .put("pending_connected_team_ids", JsonArray.empty())
                .put("is_member", botIsMember)
                .put("topic", topic("", 0))
                .put("purpose", topic(purpose, created))
                .put("previous_names", JsonArray.empty())
                .put("num_members", numMembers)
                .build();
    }

    // ---- seeding ----

    /** Adds (or replaces) a channel. */
    public synchronized FakeSlack addChannel(String id, String name, boolean isPrivate, boolean botIsMember) {
        long created = SEED_EPOCH_SECOND - 86_400L * (channels.size() + 1);
        channels.put(
                id,
                conversation(
                        id,
                        name,
                        created,
                        isPrivate ? Kind.PRIVATE_CHANNEL : Kind.PUBLIC_CHANNEL,
                        USERS.get(0),
                        botIsMember,
                        "The " + name + " channel",
                        USERS.size() + (botIsMember ? 1 : 0)));
        java.util.LinkedHashSet<String> in = new java.util.LinkedHashSet<>(USERS);
        if (botIsMember) {
            in.add(BOT_USER_ID);
        }
        members.put(id, in);
        messages.computeIfAbsent(id, c -> new TreeMap<>());
        return this;
    }

    /**
     * Adds (or replaces) a DM between the bot and {@code user}, shaped as Slack's DM objects are: {@code is_im},
     * {@code user}, no {@code name}, {@code is_channel} or {@code is_private}.
     */
    public synchronized FakeSlack addDm(String id, String user) {
        long created = SEED_EPOCH_SECOND - 86_400L * (channels.size() + 1);
        channels.put(
                id,
                JsonObject.builder()
                        .put("id", id)
                        .put("created", created)
                        .put("is_archived", false)
                        .put("is_im", true)
                        .put("is_org_shared", false)
                        .put("context_team_id", TEAM_ID)
                        .put("updated", created * 1000 + 123)
                        .put("user", user)
                        .put("is_user_deleted", false)
                        .put("priority", 0)
                        .build());
        members.put(id, new java.util.LinkedHashSet<>(List.of(user, BOT_USER_ID)));
        messages.computeIfAbsent(id, c -> new TreeMap<>());
        return this;
    }

    /**
     * Adds (or replaces) a group DM of the bot and {@code users}, shaped as Slack's are: {@code is_mpim} and
     * {@code is_private} true, an {@code mpdm-...} name.
     */
    public synchronized FakeSlack addGroupDm(String id, List<String> users) {
        long created = SEED_EPOCH_SECOND - 86_400L * (channels.size() + 1);
        String name = "mpdm-" + String.join("--", users).toLowerCase(java.util.Locale.ROOT) + "--switchboard-1";
        channels.put(
                id,
                conversation(
                        id, name, created, Kind.GROUP_DM, users.get(0), true, "Group messaging", users.size() + 1));
        java.util.LinkedHashSet<String> in = new java.util.LinkedHashSet<>(users);
        in.add(BOT_USER_ID);
        members.put(id, in);
        messages.computeIfAbsent(id, c -> new TreeMap<>());
        return this;
    }

    /**
     * Sets who is a member of a channel ({@link #BOT_USER_ID} for the bot): its {@code is_member} and
     * {@code num_members} follow, and so does what {@code users.conversations} answers.
     *
     * @throws IllegalArgumentException when there is no such channel
     */
    public synchronized FakeSlack members(String channel, List<String> users) {
        JsonObject c = channels.get(channel);
        if (c == null) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        members.put(channel, new java.util.LinkedHashSet<>(users));
        if (c.has("is_member")) {
            channels.put(
                    channel,
                    c.newBuilder()
                            .put("is_member", users.contains(BOT_USER_ID))
                            .put("num_members", users.size())
                            .build());
        }
        return this;
    }

    /**
     * A vendor bug on demand: from now on the history of {@code into} also answers the top-level messages of
     * {@code from}, each naming {@code from} in its {@code channel} field. For tests that the records of
     * {@code from} stay private to its members whatever the channel read.
     */
    public synchronized FakeSlack misrouteHistory(String from, String into) {
        misrouted.put(into, from);
        return this;
    }

    private static JsonObject topic(String value, long lastSet) {
        return JsonObject.builder()
                .put("value", value)
                .put("creator", value.isEmpty() ? "" : USERS.get(0))
                .put("last_set", lastSet)
                .build();
    }

    /** Adds a user whose profile email is {@code {name}@example.com}. */
    public synchronized FakeSlack addUser(String id, String name, String realName) {
        return addUser(id, name, realName, name + "@example.com");
    }

    /**
     * Adds a user with this profile email, e.g. a customer's contact in a shared (Slack Connect)
     * channel, whom other sources know by the same address.
     */
    public synchronized FakeSlack addUser(String id, String name, String realName, String email) {
        return addUser(id, name, realName, email, TEAM_ID);
    }

    /**
     * Adds a member of another organization's workspace {@code teamId}, as a shared (Slack Connect)
     * channel shows them: their {@code team_id} and profile {@code team} are their own workspace's.
     */
    public synchronized FakeSlack addExternalUser(
            String id, String name, String realName, String email, String teamId) {
        return addUser(id, name, realName, email, teamId);
    }

    private FakeSlack addUser(String id, String name, String realName, String email, String teamId) {
        String[] names = realName.split(" ", 2);
        JsonObject profile = JsonObject.builder()
                .put("real_name", realName)
                .put("display_name", name)
                .put("avatar_hash", "g" + Integer.toHexString(id.hashCode()))
                .put("real_name_normalized", realName)
                .put("display_name_normalized", name)
                .put("image_24", "https://secure.gravatar.com/avatar/" + name + "-24.png")
                .put("image_72", "https://secure.gravatar.com/avatar/" + name + "-72.png")
                .put("first_name", names[0])
                .put("last_name", names.length > 1 ? names[1] : "")
                .put("team", teamId)
                .put("title", "")
                .put("phone", "")
                .put("skype", "")
                .put("status_text", "")
                .put("status_emoji", "")
                .put("status_expiration", 0)
                .put("email", email)
                .build();
        users.add(JsonObject.builder()
                .put("id", id)
                .put("team_id", teamId)
                .put("name", name)
                .put("deleted", false)
                .put("color", "9f69e7")
                .put("real_name", realName)
                .put("tz", "Europe/Berlin")
                .put("tz_label", "Central European Time")
                .put("tz_offset", 3600)
                .put("profile", profile)
                .put("is_admin", users.isEmpty())
                .put("is_owner", users.isEmpty())
                .put("is_primary_owner", users.isEmpty())
                .put("is_restricted", false)
                .put("is_ultra_restricted", false)
                .put("is_bot", id.equals(BOT_USER_ID))
                .put("is_app_user", false)
                .put("updated", SEED_EPOCH_SECOND - 3600L * users.size())
                .put("is_email_confirmed", true)
                .put("who_can_share_contact_card", "EVERYONE")
                .build());
        return this;
    }

    /** Replaces the users with {@code count} users (besides the bot). */
    public synchronized FakeSlack seedUsers(int count) {
        users.clear();
        addUser(BOT_USER_ID, "switchboard", "Switchboard Bot");
        for (int i = 0; i < count; i++) {
            String name = i < USERS.size() ? List.of("alice", "bob", "carol").get(i) : "user" + i;
            String id = i < USERS.size() ? USERS.get(i) : String.format("U0USER%03d", i);
            addUser(id, name, Character.toUpperCase(name.charAt(0)) + name.substring(1) + " Example");
        }
        return this;
    }

    /**
     * Replaces every channel's messages with {@code count} messages in {@link #GENERAL} and
     * {@link #RANDOM}, alternating, each pair sharing one ts (Slack's ts is unique within a channel
     * only); every fourth message (index 3, 7, ...) is a reply in the thread of {@link #RANDOM}'s first
     * message, and every fourth from index 1 was edited and has a reaction.
     */
    public synchronized FakeSlack seedMessages(int count) {
        messages.values().forEach(Map::clear);
        String parentTs = null;
        for (int i = 0; i < count; i++) {
            String channel = i % 2 == 0 ? GENERAL : RANDOM;
            String ts = ts(SEED_EPOCH_SECOND + (i / 2) * 60L, 100);
            String user = USERS.get(i % USERS.size());
            JsonObject.Builder m = message(ts, user, "Message " + (i + 1) + " in " + channel);
            if (i % 4 == 1) {
                m.put(
                                "edited",
                                JsonObject.builder()
                                        .put("user", user)
                                        .put("ts", ts(SEED_EPOCH_SECOND + i * 60L + 30, 0))
                                        .build())
                        .put(
                                "reactions",
                                JsonArray.of(JsonObject.builder()
                                        .put("name", "thumbsup")
                                        .put("users", Json.strings(List.of(USERS.get(0))))
                                        .put("count", 1)
                                        .build()));
            }
            if (channel.equals(RANDOM) && parentTs == null) {
                parentTs = ts;
            }
            if (i % 4 == 3 && parentTs != null) {
                store(channel, reply(m, channel, parentTs, user));
            } else {
                store(channel, m.build());
            }
        }
        return this;
    }

    /** Adds a top-level message at this ts, as history that was there (no event delivery); returns it. */
    public synchronized JsonObject addMessage(String channel, String ts, String user, String text) {
        JsonObject m = message(ts, user, text).build();
        store(channel, m);
        return m;
    }

    /** Adds a reply in the thread of {@code threadTs}, as history that was there (no event delivery); returns it. */
    public synchronized JsonObject addReply(String channel, String threadTs, String ts, String user, String text) {
        JsonObject m = reply(message(ts, user, text), channel, threadTs, user);
        store(channel, m);
        return m;
    }

    /**
     * Posts a top-level message as a user would: at the clock's now (the channel's next free ts), with a
     * {@code message} event delivery. Returns its ts.
     */
    public synchronized String postMessage(String channel, String user, String text) {
        String ts = nextTs(channel);
        JsonObject m = message(ts, user, text).build();
        store(channel, m);
        event(channel, m);
        return ts;
    }

    /**
     * Posts a reply in the thread of {@code threadTs} as a user would: at the clock's now, with a
     * {@code message} event delivery. Returns its ts.
     */
    public synchronized String postReply(String channel, String threadTs, String user, String text) {
        String ts = nextTs(channel);
        JsonObject m = reply(message(ts, user, text), channel, threadTs, user);
        store(channel, m);
        event(channel, m);
        return ts;
    }

    /**
     * Edits a message, as its author would: new text and {@code edited} ({@code user}, {@code ts} at
     * the clock's now, after any earlier version), with a {@code message_changed} event delivery.
     * Returns the message as stored now.
     *
     * @throws IllegalArgumentException when the channel has no message at {@code ts}
     */
    public synchronized JsonObject editMessage(String channel, String ts, String text) {
        TreeMap<BigDecimal, JsonObject> history = existing(channel);
        JsonObject before = history.get(new BigDecimal(ts));
        if (before == null) {
            throw new IllegalArgumentException("no message " + ts + " in " + channel);
        }
        String editTs = laterThan(version(before));
        JsonObject after = before.newBuilder()
                .put("text", text)
                .put(
                        "edited",
                        JsonObject.builder()
                                .put("user", String.valueOf(before.string("user")))
                                .put("ts", editTs)
                                .build())
                .build();
        history.put(new BigDecimal(ts), after);
        JsonObject.Builder e = JsonObject.builder()
                .put("type", "message")
                .put("subtype", "message_changed")
                .put("hidden", true)
                .put("message", after)
                .put("channel", channel)
                .put("previous_message", before)
                .put("event_ts", editTs)
                .put("ts", editTs);
        deliver(channel, e);
        return after;
    }

    /**
     * Deletes a message (as {@code chat.delete} does), with a {@code message_deleted} event delivery;
     * a reply leaves its parent's thread fields. The replies of a deleted parent stay, and its thread
     * answers {@code thread_not_found}.
     *
     * @throws IllegalArgumentException when the channel has no message at {@code ts}
     */
    public synchronized void deleteMessage(String channel, String ts) {
        TreeMap<BigDecimal, JsonObject> history = existing(channel);
        JsonObject before = history.remove(new BigDecimal(ts));
        if (before == null) {
            throw new IllegalArgumentException("no message " + ts + " in " + channel);
        }
        String threadTs = before.string("thread_ts");
        if (threadTs != null && !threadTs.equals(ts)) {
            refreshThread(history, threadTs);
        }
        String deleteTs = laterThan(version(before));
        JsonObject.Builder e = JsonObject.builder()
                .put("type", "message")
                .put("subtype", "message_deleted")
                .put("hidden", true)
                .put("channel", channel)
                .put("ts", deleteTs)
                .put("deleted_ts", ts)
                .put("event_ts", deleteTs)
                .put("previous_message", before);
        deliver(channel, e);
    }

    /** The event deliveries made since the last reset (or {@link #takeDeliveries()}), oldest first. */
    public synchronized List<SignedEvent> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The event deliveries made since the last reset or take, oldest first; forgets them. */
    public synchronized List<SignedEvent> takeDeliveries() {
        List<SignedEvent> taken = List.copyOf(deliveries);
        deliveries.clear();
        return taken;
    }

    /**
     * Slack's retry of a delivery its sender did not see answered in time: the same body (and
     * {@code event_id}), signed again at the clock's now, with {@code X-Slack-Retry-Num} and
     * {@code X-Slack-Retry-Reason}.
     */
    public synchronized SignedEvent retry(SignedEvent delivery, int retryNum) {
        Map<String, String> headers = signed(delivery.body());
        headers.put("X-Slack-Retry-Num", Integer.toString(retryNum));
        headers.put("X-Slack-Retry-Reason", "http_timeout");
        return new SignedEvent(delivery.eventId(), delivery.body(), headers);
    }

    /** The {@code url_verification} request Slack sends when an app's Request URL is set, signed now. */
    public synchronized SignedEvent urlVerification(String challenge) {
        String body = JsonObject.builder()
                .put("token", "Jhj5dZrVaK7ZwHHjRyZWjbDl")
                .put("challenge", challenge)
                .put("type", "url_verification")
                .build()
                .toJson();
        return new SignedEvent("", body, signed(body));
    }

    /**
     * One Events API delivery as Slack sends it to an app's Request URL: the JSON body and the headers
     * ({@code Content-Type}, {@code X-Slack-Request-Timestamp}, {@code X-Slack-Signature}, and on a
     * retry {@code X-Slack-Retry-Num}).
     *
     * @param eventId the body's {@code event_id} (empty for a {@code url_verification})
     * @param body the raw body
     * @param headers the headers, by Slack's spelling
     */
    public record SignedEvent(String eventId, String body, Map<String, String> headers) {
        public SignedEvent {
            headers = Map.copyOf(headers);
        }

        /** The body as the bytes sent. */
        public byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.UTF_8);
        }

        /** The signed timestamp ({@code X-Slack-Request-Timestamp}), epoch seconds. */
        public String timestamp() {
            return String.valueOf(headers.get("X-Slack-Request-Timestamp"));
        }

        /** The headers in the form an HTTP server hands them on (one value each). */
        public Map<String, List<String>> headerLists() {
            Map<String, List<String>> lists = new LinkedHashMap<>();
            headers.forEach((k, v) -> lists.put(k, List.of(v)));
            return lists;
        }

        /** Names the delivery, never its signature. */
        @Override
        public String toString() {
            return "SignedEvent[" + eventId + ", " + body.length() + " bytes]";
        }
    }

    /** A message event for a message just stored. */
    private void event(String channel, JsonObject message) {
        JsonObject.Builder e =
                message.newBuilder().put("channel", channel).put("event_ts", String.valueOf(message.string("ts")));
        deliver(channel, e);
    }

    /** Wraps an event as Slack's Events API does, signs it and queues the delivery. */
    private void deliver(String channel, JsonObject.Builder event) {
        JsonObject c = channels.get(channel);
        String type;
        if (c != null && Boolean.TRUE.equals(c.bool("is_im"))) {
            type = "im";
        } else if (c != null && Boolean.TRUE.equals(c.bool("is_mpim"))) {
            type = "mpim";
        } else {
            type = c != null && Boolean.TRUE.equals(c.bool("is_private")) ? "group" : "channel";
        }
        event.put("channel_type", type);
        String eventId = String.format("Ev%08d", eventIds.incrementAndGet());
        String body = JsonObject.builder()
                .put("token", "Jhj5dZrVaK7ZwHHjRyZWjbDl")
                .put("team_id", TEAM_ID)
                .put("api_app_id", APP_ID)
                .put("event", event.build())
                .put("type", "event_callback")
                .put("event_id", eventId)
                .put("event_time", clock.instant().getEpochSecond())
                .put(
                        "authorizations",
                        JsonArray.of(JsonObject.builder()
                                .put("enterprise_id", JsonNull.INSTANCE)
                                .put("team_id", TEAM_ID)
                                .put("user_id", BOT_USER_ID)
                                .put("is_bot", true)
                                .put("is_enterprise_install", false)
                                .build()))
                .put("is_ext_shared_channel", false)
                .put("event_context", "4-" + eventId)
                .build()
                .toJson();
        deliveries.add(new SignedEvent(eventId, body, signed(body)));
    }

    /** Slack's signing headers for {@code body} at the clock's now: v0, HMAC-SHA256 of {@code v0:ts:body}. */
    private Map<String, String> signed(String body) {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            signature = "v0="
                    + HexFormat.of()
                            .formatHex(mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Slack-Request-Timestamp", timestamp);
        headers.put("X-Slack-Signature", signature);
        return headers;
    }

    private TreeMap<BigDecimal, JsonObject> existing(String channel) {
        TreeMap<BigDecimal, JsonObject> history = messages.get(channel);
        if (history == null) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        return history;
    }

    /** A message's version as the connector's records carry it: {@code edited.ts}, else {@code ts}. */
    private static String version(JsonObject message) {
        JsonObject edited = message.object("edited");
        String editedTs = edited == null ? null : edited.string("ts");
        return editedTs != null ? editedTs : String.valueOf(message.string("ts"));
    }

    /** A ts at the clock's now, or just after {@code ts} if that is not earlier. */
    private String laterThan(String ts) {
        Instant now = clock.instant();
        BigDecimal at = new BigDecimal(ts(now.getEpochSecond(), now.getNano() / 1000));
        BigDecimal floor = new BigDecimal(ts);
        if (at.compareTo(floor) <= 0) {
            at = floor.add(new BigDecimal("0.000001"));
        }
        return at.setScale(6).toPlainString();
    }

    /** Every message of a channel (thread replies included), oldest first, as stored. */
    public synchronized List<JsonObject> messages(String channel) {
        TreeMap<BigDecimal, JsonObject> m = messages.get(channel);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    /** A message's fields as Slack's samples show them: {@code type}, {@code user}, {@code text}, {@code ts}, {@code team}. */
    private static JsonObject.Builder message(String ts, String user, String text) {
        return JsonObject.builder()
                .put("type", "message")
                .put("user", user)
                .put("text", text)
                .put("ts", ts)
                .put("team", TEAM_ID)
                .put(
                        "client_msg_id",
                        java.util
                                .UUID
                                .nameUUIDFromBytes((user + ts).getBytes(StandardCharsets.UTF_8))
                                .toString());
    }

    private JsonObject reply(JsonObject.Builder m, String channel, String threadTs, String user) {
        JsonObject parent = messages.getOrDefault(channel, new TreeMap<>()).get(new BigDecimal(threadTs));
        m.put("thread_ts", threadTs)
                .put("parent_user_id", parent == null ? user : String.valueOf(parent.string("user")));
        return m.build();
    }

    /** Stores a message; a reply updates its parent's thread fields. */
    private void store(String channel, JsonObject m) {
        TreeMap<BigDecimal, JsonObject> history = messages.computeIfAbsent(channel, c -> new TreeMap<>());
        String ts = String.valueOf(m.string("ts"));
        history.put(new BigDecimal(ts), m);
        issued.merge(channel, new BigDecimal(ts), BigDecimal::max);
        String threadTs = m.string("thread_ts");
        if (threadTs == null || threadTs.equals(ts)) {
            return;
        }
        refreshThread(history, threadTs);
    }

    /** A thread parent's reply fields, recomputed from the replies its channel holds. */
    private static void refreshThread(TreeMap<BigDecimal, JsonObject> history, String threadTs) {
        BigDecimal parentKey = new BigDecimal(threadTs);
        JsonObject parent = history.get(parentKey);
        if (parent == null) {
            return;
        }
        List<String> replyUsers = new ArrayList<>();
        int replies = 0;
        String latest = null;
        for (JsonObject other : history.values()) {
            if (threadTs.equals(other.string("thread_ts")) && !threadTs.equals(other.string("ts"))) {
                replies++;
                latest = other.string("ts");
                String u = other.string("user");
                if (u != null && !replyUsers.contains(u)) {
                    replyUsers.add(u);
                }
            }
        }
        if (latest == null) {
            history.put(
                    parentKey,
                    parent.without("thread_ts")
                            .without("reply_count")
                            .without("reply_users_count")
                            .without("latest_reply")
                            .without("reply_users"));
            return;
        }
        history.put(
                parentKey,
                parent.newBuilder()
                        .put("thread_ts", threadTs)
                        .put("reply_count", replies)
                        .put("reply_users_count", replyUsers.size())
                        .put("latest_reply", latest)
                        .put("reply_users", Json.strings(replyUsers))
                        .build());
    }

    private static String ts(long seconds, int micros) {
        return String.format("%d.%06d", seconds, micros);
    }

    /** The next free ts of a channel at the clock's now (ts is unique per channel). */
    private String nextTs(String channel) {
        Instant now = clock.instant();
        BigDecimal ts = new BigDecimal(ts(now.getEpochSecond(), now.getNano() / 1000));
        // Slack's ts only grows within a channel, a deleted message's included: never issue one again.
        BigDecimal last = issued.get(channel);
        if (last != null && last.compareTo(ts) >= 0) {
            ts = last.add(new BigDecimal("0.000001"));
        }
        return ts.setScale(6).toPlainString();
    }

    @Override
    protected synchronized void resetState() {
        clock = Clock.systemUTC();
        System.arraycopy(DEFAULT_TIER_LIMITS, 0, tierLimits, 0, tierLimits.length);
        tierWindow = Duration.ofMinutes(1);
        postsPerSecondPerChannel = 1;
        enforceRateLimits = true;
        rejectedTokenError = "invalid_auth";
        answersToDrop = 0;
        throttleRetryAfterSeconds = 1;
        tierWindowSkew = Duration.ZERO;
        cursorLifetime = null;
        requestHook = null;
        signingSecret = SIGNING_SECRET;
        requestTimes.clear();
        issued.clear();
        deliveries.clear();
        eventIds.set(0);
        rateWindows.clear();
        forcedErrors.clear();
        rateLimited.set(0);
        posted.set(0);
        channels.clear();
        members.clear();
        misrouted.clear();
        messages.clear();
        addChannel(GENERAL, "general", false, true);
        addChannel(RANDOM, "random", false, true);
        addChannel(PRIVATE, "leadership", true, true);
        addChannel(HIDDEN, "secret-project", true, false);
        seedUsers(USERS.size());
        seedMessages(6);
    }

    // ---- answers ----

    @Override
    protected synchronized FakeResponse handle(FakeRequest request) {
        if (!request.path().startsWith("/api/")) {
            return slack(FakeResponse.json(404, error("unknown_method")), "");
        }
        String method = request.path().substring("/api/".length());
        requestTimes.computeIfAbsent(method, m -> new ArrayList<>()).add(clock.instant());
        Consumer<String> hook = requestHook;
        if (hook != null) {
            hook.accept(method);
        }
        if (request.bearerToken() == null) {
            return slack(FakeResponse.json(200, error("not_authed")), method);
        }
        if (!authorized(request)) {
            return slack(FakeResponse.json(200, error(rejectedTokenError)), method);
        }
        JsonObject forced = nextForcedError(method);
        if (forced != null) {
            return slack(FakeResponse.json(200, forced), method);
        }
        FakeResponse limited = rateLimit(method, request);
        if (limited != null) {
            rateLimited.incrementAndGet();
            return slack(limited, method);
        }
        FakeResponse answer = switch (method) {
            case "conversations.list" -> conversationsList(request);
            case "conversations.info" -> conversationsInfo(request);
            case "conversations.history" -> history(request);
            case "conversations.replies" -> replies(request);
            case "users.list" -> usersList(request);
            case "users.conversations" -> usersConversations(request);
            case "chat.postMessage" -> postMessage(request);
            case "auth.test" ->
                FakeResponse.json(
                        200,
                        JsonObject.builder()
                                .put("ok", true)
                                .put("url", "https://switchboard-fake.slack.com/")
                                .put("team", "Switchboard")
                                .put("user", "switchboard")
                                .put("team_id", TEAM_ID)
                                .put("user_id", BOT_USER_ID)
                                .put("bot_id", BOT_ID)
                                .put("is_enterprise_install", false)
                                .build());
            case "api.test" ->
                FakeResponse.json(
                        200,
                        JsonObject.builder()
                                .put("ok", true)
                                .put("args", JsonObject.empty())
                                .build());
            default -> FakeResponse.json(404, error("unknown_method"));
        };
        return answer.isConnectionReset() ? answer : slack(answer, method);
    }

    @Override
    protected FakeResponse throttled(FakeRequest request) {
        long seconds;
        synchronized (this) {
            seconds = throttleRetryAfterSeconds;
        }
        return slack(
                FakeResponse.json(429, error("ratelimited")).withHeader("Retry-After", Long.toString(seconds)),
                method(request));
    }

    @Override
    protected FakeResponse serverError(FakeRequest request, int status) {
        String code = switch (status) {
            case 503 -> "service_unavailable";
            case 504 -> "request_timeout";
            default -> "internal_error";
        };
        return slack(FakeResponse.json(status, error(code)), method(request));
    }

    private static String method(FakeRequest request) {
        return request.path().startsWith("/api/") ? request.path().substring(5) : "";
    }

    /** The headers Slack puts on every answer. */
    private FakeResponse slack(FakeResponse response, String method) {
        return response.withHeader("X-Slack-Req-Id", String.format("fake-%08x", requestIds.incrementAndGet()))
                .withHeader("X-OAuth-Scopes", GRANTED_SCOPES)
                .withHeader("X-Accepted-OAuth-Scopes", SCOPES_ACCEPTED.getOrDefault(method, ""));
    }

    private static JsonObject error(String code) {
        return JsonObject.builder().put("ok", false).put("error", code).build();
    }

    private @Nullable JsonObject nextForcedError(String method) {
        for (String key : List.of(method, "*")) {
            Deque<JsonObject> q = forcedErrors.get(key);
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        return null;
    }

    /** A 429 when the method's tier (or the channel's posting rate) is spent, else null and counted. */
    private @Nullable FakeResponse rateLimit(String method, FakeRequest request) {
        if (!enforceRateLimits) {
            return null;
        }
        String key;
        int limit;
        Duration window;
        if (method.equals("chat.postMessage")) {
            key = method + ":" + request.param("channel");
            limit = postsPerSecondPerChannel;
            window = Duration.ofSeconds(1);
        } else {
            key = method;
            limit = tierLimits[TIERS.getOrDefault(method, 3)];
            window = tierWindow;
        }
        Instant now = clock.instant();
        Deque<Instant> log = rateWindows.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (tierWindowSkew.isZero() || method.equals("chat.postMessage")) {
            while (!log.isEmpty() && !log.peekFirst().isAfter(now.minus(window))) {
                log.pollFirst();
            }
        } else {
            // Slack's window, seen from here, is longer by the skew, and its ends count.
            window = window.plus(tierWindowSkew);
            while (!log.isEmpty() && log.peekFirst().isBefore(now.minus(window))) {
                log.pollFirst();
            }
        }
        if (log.size() >= limit) {
            Duration wait = Duration.between(now, log.peekFirst().plus(window));
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return FakeResponse.json(429, error("ratelimited")).withHeader("Retry-After", Long.toString(seconds));
        }
        log.addLast(now);
        return null;
    }

    private static int limit(FakeRequest request, int byDefault, int max) {
        String l = request.param("limit");
        if (l == null || l.isBlank()) {
            return byDefault;
        }
        try {
            int n = Integer.parseInt(l.trim());
            return n <= 0 ? byDefault : Math.min(n, max);
        } catch (NumberFormatException e) {
            return byDefault;
        }
    }

    /** Slack's cursors are opaque base64 strings; this fake's encode an offset and when it was issued. */
    private String cursor(int offset) {
        String issued = Long.toString(clock.instant().toEpochMilli());
        return Base64.getEncoder().encodeToString(("next:" + offset + ":" + issued).getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a cursor encodes, -1 when the cursor is not one of ours or has expired. */
    private int offset(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] parts = decoded.split(":");
            if (parts.length != 3 || !parts[0].equals("next")) {
                return -1;
            }
            Duration lifetime = cursorLifetime;
            Instant issued = Instant.ofEpochMilli(Long.parseLong(parts[2]));
            if (lifetime != null && issued.plus(lifetime).isBefore(clock.instant())) {
                return -1;
            }
            return Integer.parseInt(parts[1]);
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** One page of {@code items} from the request's cursor, or null for an invalid (or expired) cursor. */
    private @Nullable Paged page(FakeRequest request, List<? extends JsonValue> items, int byDefault, int max) {
        int offset = offset(request.param("cursor"));
        if (offset < 0 || offset > items.size()) {
            return null;
        }
        int end = Math.min(items.size(), offset + limit(request, byDefault, max));
        return new Paged(List.copyOf(items.subList(offset, end)), end < items.size() ? cursor(end) : "");
    }

    /**
     * One page of messages (ordered by ts, newest first when {@code descending}) from the request's
     * cursor, or null for an invalid or expired one. As Slack's history cursors do, a cursor names the
     * ts the next page starts at ({@code next_ts:}), not an offset: a message deleted or posted between
     * two pages moves no other message across a page boundary.
     */
    private @Nullable Paged keyedPage(
            FakeRequest request, List<JsonObject> items, boolean descending, int byDefault, int max) {
        String cursor = request.param("cursor");
        int from = 0;
        if (cursor != null && !cursor.isEmpty()) {
            BigDecimal next;
            try {
                String[] parts = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                if (parts.length != 3 || !parts[0].equals("next_ts")) {
                    return null;
                }
                Duration lifetime = cursorLifetime;
                if (lifetime != null
                        && Instant.ofEpochMilli(Long.parseLong(parts[2]))
                                .plus(lifetime)
                                .isBefore(clock.instant())) {
                    return null;
                }
                next = new BigDecimal(parts[1]);
            } catch (IllegalArgumentException e) {
                return null;
            }
            from = items.size();
            for (int i = 0; i < items.size(); i++) {
                int c = new BigDecimal(String.valueOf(items.get(i).string("ts"))).compareTo(next);
                if (descending ? c <= 0 : c >= 0) {
                    from = i;
                    break;
                }
            }
        }
        int end = Math.min(items.size(), from + limit(request, byDefault, max));
        String nextCursor = "";
        if (end < items.size()) {
            String raw = "next_ts:" + items.get(end).string("ts") + ":"
                    + clock.instant().toEpochMilli();
            nextCursor = Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }
        return new Paged(List.copyOf(items.subList(from, end)), nextCursor);
    }

    private record Paged(List<JsonValue> items, String nextCursor) {
        JsonObject metadata() {
            return JsonObject.builder().put("next_cursor", nextCursor).build();
        }
    }

    /** The types parameter's name for a conversation: public_channel, private_channel, mpim or im. */
    private static String typeOf(JsonObject c) {
        if (Boolean.TRUE.equals(c.bool("is_im"))) {
            return "im";
        }
        if (Boolean.TRUE.equals(c.bool("is_mpim"))) {
            return "mpim";
        }
        return Boolean.TRUE.equals(c.bool("is_private")) ? "private_channel" : "public_channel";
    }

    private boolean botIsIn(JsonObject channel) {
        java.util.Set<String> in = members.get(channel.string("id"));
        return in != null && in.contains(BOT_USER_ID);
    }

    /** Whether the bot's token sees a conversation at all: every public channel, the others it is in. */
    private boolean visible(JsonObject channel) {
        return typeOf(channel).equals("public_channel") || botIsIn(channel);
    }

    private FakeResponse usersConversations(FakeRequest request) {
        String user = request.param("user");
        if (user == null || user.isBlank()) {
            user = BOT_USER_ID; // the calling token's own conversations
        }
        String who = user;
        if (users.stream().noneMatch(u -> who.equals(u.string("id")))) {
            return FakeResponse.json(200, error("user_not_found"));
        }
        // A bot token sees another user's non-public conversations only where it is too.
        // users.conversations leaves out num_members and is_member.
        return listConversations(
                request,
                c -> members.containsKey(c.string("id"))
                        && members.get(c.string("id")).contains(who),
                c -> c.without("num_members").without("is_member"));
    }

    private FakeResponse conversationsList(FakeRequest request) {
        return listConversations(request, c -> true, c -> c);
    }

    /**
     * One page of the conversations the token sees, of the requested {@code types} (public channels by
     * default), archived ones left out on request, as {@code conversations.list} and {@code users.conversations}
     * both page them.
     */
    private FakeResponse listConversations(
            FakeRequest request,
            java.util.function.Predicate<JsonObject> include,
            java.util.function.UnaryOperator<JsonObject> shape) {
        String typesParam = request.param("types");
        List<String> types =
                List.of((typesParam == null || typesParam.isBlank() ? "public_channel" : typesParam).split(","));
        boolean excludeArchived = "true".equals(request.param("exclude_archived"));
        List<JsonObject> listed = new ArrayList<>();
        for (JsonObject c : channels.values()) {
            if (!include.test(c)
                    || !visible(c)
                    || !types.contains(typeOf(c))
                    || (excludeArchived && Boolean.TRUE.equals(c.bool("is_archived")))) {
                continue;
            }
            listed.add(faults().apply(shape.apply(c)));
        }
        Paged page = page(request, listed, 100, 1000);
        if (page == null) {
            return FakeResponse.json(200, error("invalid_cursor"));
        }
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("channels", JsonArray.of(page.items()))
                        .put("response_metadata", page.metadata())
                        .build());
    }

    private @Nullable JsonObject visibleChannel(@Nullable String id) {
        JsonObject c = id == null ? null : channels.get(id);
        return c != null && visible(c) ? c : null;
    }

    private FakeResponse conversationsInfo(FakeRequest request) {
        JsonObject c = visibleChannel(request.param("channel"));
        if (c == null) {
            return FakeResponse.json(200, error("channel_not_found"));
        }
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("channel", faults().apply(c))
                        .build());
    }

    /** The messages of a channel: {@link #addChannel} gives every channel one. */
    private NavigableMap<BigDecimal, JsonObject> historyOf(JsonObject channel) {
        return Objects.requireNonNull(messages.get(channel.string("id")), "every channel has a history");
    }

    /** The channel of a history/replies call, or the error answer. */
    private @Nullable FakeResponse readable(@Nullable JsonObject channel) {
        if (channel == null) {
            return FakeResponse.json(200, error("channel_not_found"));
        }
        if (!botIsIn(channel)) {
            return FakeResponse.json(200, error("not_in_channel"));
        }
        return null;
    }

    /** Whether a ts is inside the request's {@code oldest}/{@code latest} window. */
    private static boolean inWindow(FakeRequest request, BigDecimal ts) {
        boolean inclusive = "true".equals(request.param("inclusive")) || "1".equals(request.param("inclusive"));
        String oldest = request.param("oldest");
        String latest = request.param("latest");
        if (oldest != null && !oldest.isBlank()) {
            int c = ts.compareTo(new BigDecimal(oldest));
            if (c < 0 || (c == 0 && !inclusive)) {
                return false;
            }
        }
        if (latest != null && !latest.isBlank()) {
            int c = ts.compareTo(new BigDecimal(latest));
            return c < 0 || (c == 0 && inclusive);
        }
        return true;
    }

    private JsonObject render(JsonObject message, FakeRequest request) {
        boolean metadata = "true".equals(request.param("include_all_metadata"));
        JsonObject m = metadata ? message : message.without("metadata");
        return faults().apply(m);
    }

    private FakeResponse history(FakeRequest request) {
        JsonObject channel = visibleChannel(request.param("channel"));
        FakeResponse refused = readable(channel);
        if (refused != null) {
            return refused;
        }
        List<JsonObject> listed = new ArrayList<>();
        // Newest first, top-level messages and thread broadcasts only, as Slack answers.
        NavigableMap<BigDecimal, JsonObject> history =
                historyOf(Objects.requireNonNull(channel, "readable() refuses a missing channel"));
        for (Map.Entry<BigDecimal, JsonObject> e : history.descendingMap().entrySet()) {
            JsonObject m = e.getValue();
            String threadTs = m.string("thread_ts");
            boolean topLevel = threadTs == null
                    || threadTs.equals(m.string("ts"))
                    || "thread_broadcast".equals(m.string("subtype"));
            if (topLevel && inWindow(request, e.getKey())) {
                listed.add(render(m, request));
            }
        }
        String foreign = misrouted.get(channel.string("id"));
        if (foreign != null && messages.containsKey(foreign)) {
            for (JsonObject m : messages.get(foreign).values()) {
                String threadTs = m.string("thread_ts");
                if ((threadTs == null || threadTs.equals(m.string("ts")))
                        && inWindow(request, new BigDecimal(String.valueOf(m.string("ts"))))) {
                    listed.add(render(m.newBuilder().put("channel", foreign).build(), request));
                }
            }
            listed.sort((a, b) -> new BigDecimal(String.valueOf(b.string("ts")))
                    .compareTo(new BigDecimal(String.valueOf(a.string("ts")))));
        }
        Paged page = keyedPage(request, listed, true, 100, 999);
        if (page == null) {
            return FakeResponse.json(200, error("invalid_cursor"));
        }
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("messages", JsonArray.of(page.items()))
                        .put("has_more", !page.nextCursor().isEmpty())
                        .put("pin_count", 0)
                        .put("channel_actions_ts", JsonNull.INSTANCE)
                        .put("channel_actions_count", 0)
                        .put("response_metadata", page.metadata())
                        .build());
    }

    private FakeResponse replies(FakeRequest request) {
        JsonObject channel = visibleChannel(request.param("channel"));
        FakeResponse refused = readable(channel);
        if (refused != null) {
            return refused;
        }
        String threadTs = request.param("ts");
        if (threadTs == null || threadTs.isBlank()) {
            return FakeResponse.json(200, error("invalid_arguments"));
        }
        NavigableMap<BigDecimal, JsonObject> history =
                historyOf(Objects.requireNonNull(channel, "readable() refuses a missing channel"));
        JsonObject parent = history.get(new BigDecimal(threadTs));
        if (parent == null) {
            return FakeResponse.json(200, error("thread_not_found"));
        }
        // The parent first on every page, then its replies oldest first; the window applies to the replies.
        List<JsonObject> listed = new ArrayList<>();
        for (Map.Entry<BigDecimal, JsonObject> e : history.entrySet()) {
            JsonObject m = e.getValue();
            if (threadTs.equals(m.string("thread_ts"))
                    && !threadTs.equals(m.string("ts"))
                    && inWindow(request, e.getKey())) {
                listed.add(render(m, request));
            }
        }
        Paged page = keyedPage(request, listed, false, 1000, 1000);
        if (page == null) {
            return FakeResponse.json(200, error("invalid_cursor"));
        }
        List<JsonValue> withParent = new ArrayList<>();
        withParent.add(render(parent, request));
        withParent.addAll(page.items());
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("messages", JsonArray.of(withParent))
                        .put("has_more", !page.nextCursor().isEmpty())
                        .put("response_metadata", page.metadata())
                        .build());
    }

    private FakeResponse usersList(FakeRequest request) {
        List<JsonObject> listed = users.stream().map(u -> faults().apply(u)).toList();
        Paged page = page(request, listed, 100, 1000);
        if (page == null) {
            return FakeResponse.json(200, error("invalid_cursor"));
        }
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("members", JsonArray.of(page.items()))
                        .put("cache_ts", clock.instant().getEpochSecond())
                        .put("response_metadata", page.metadata())
                        .build());
    }

    private FakeResponse postMessage(FakeRequest request) {
        String channelId = request.param("channel");
        JsonObject channel = visibleChannel(channelId);
        if (channel == null || channelId == null) { // visibleChannel(null) is null: the id check is for NullAway
            return FakeResponse.json(200, error("channel_not_found"));
        }
        if (!botIsIn(channel)) {
            return FakeResponse.json(200, error("not_in_channel"));
        }
        if (Boolean.TRUE.equals(channel.bool("is_archived"))) {
            return FakeResponse.json(200, error("is_archived"));
        }
        String text = request.param("text");
        if (text == null || text.isBlank()) {
            return FakeResponse.json(200, error("no_text"));
        }
        if (text.length() > MAX_TEXT) {
            return FakeResponse.json(200, error("msg_too_long"));
        }
        String ts = nextTs(channelId);
        JsonObject.Builder m = JsonObject.builder()
                .put("bot_id", BOT_ID)
                .put("type", "message")
                .put("text", text)
                .put("user", BOT_USER_ID)
                .put("ts", ts)
                .put("team", TEAM_ID)
                .put("app_id", APP_ID);
        String threadTs = request.param("thread_ts");
        if (threadTs != null && !threadTs.isBlank()) {
            JsonObject parent = historyOf(channel).get(new BigDecimal(threadTs));
            m.put("thread_ts", threadTs)
                    .put("parent_user_id", parent == null ? BOT_USER_ID : String.valueOf(parent.string("user")));
            if ("true".equals(request.param("reply_broadcast"))) {
                m.put("subtype", "thread_broadcast");
            }
        }
        String metadata = request.param("metadata");
        if (metadata != null && !metadata.isBlank()) {
            try {
                if (!(Json.parse(metadata) instanceof JsonObject meta) || meta.string("event_type") == null) {
                    return FakeResponse.json(200, error("invalid_metadata_format"));
                } else {
                    m.put("metadata", meta);
                }
            } catch (RuntimeException e) {
                return FakeResponse.json(200, error("invalid_metadata_format"));
            }
        }
        JsonObject message = m.build();
        store(channelId, message);
        event(channelId, message);
        posted.incrementAndGet();
        if (answersToDrop > 0) {
            answersToDrop--;
            return FakeResponse.connectionReset();
        }
        // chat.postMessage answers with the message, metadata included.
        return FakeResponse.json(
                200,
                JsonObject.builder()
                        .put("ok", true)
                        .put("channel", channelId)
                        .put("ts", ts)
                        .put("message", faults().apply(message))
                        .build());
    }
}
