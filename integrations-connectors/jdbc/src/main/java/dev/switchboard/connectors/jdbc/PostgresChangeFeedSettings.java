package dev.switchboard.connectors.jdbc;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How the JDBC connector follows a PostgreSQL database's changes through logical replication (see
 * docs/connectors/jdbc-cdc.md). Immutable; built with {@link #builder}, which fails fast on a bad value. Its
 * {@link #toString()} never shows the password or the JDBC URL (a URL may hold a password).
 *
 * <p>Each subscriber of each followed stream (one table) has its own replication slot and publication, both
 * named {@link #slotName(String, String)}: {@code <slotPrefix>_<connection>_<stream>_<subscriber>}, lower case, at
 * most 63 characters.
 */
public final class PostgresChangeFeedSettings {
    /** What the feed does when a followed table is truncated (rows gone with no delete per row). */
    public enum Truncates {
        /**
         * The feed stops with a {@code PermanentException} naming the table and the log position: the consumer
         * must re-read the stream in full, then restart the feed with {@link #SKIP}. The default: a consumer never
         * silently keeps rows the source no longer has.
         */
        FAIL,
        /** The truncate is logged at WARN and passed over; consumers keep the rows it removed. */
        SKIP
    }

    private final String connection;
    private final String connector;
    private final String jdbcUrl;
    private final String user;
    private final @Nullable String password;
    private final String slotPrefix;
    private final Duration leaseDuration;
    private final String leaseTable;
    private final String owner;
    private final long lagWarnBytes;
    private final Duration lagCheckInterval;
    private final Duration statusInterval;
    private final int maxBatch;
    private final Truncates truncates;

    private PostgresChangeFeedSettings(Builder b) {
        this.connection = Objects.requireNonNull(b.connection, "connection");
        this.connector = b.connector;
        this.jdbcUrl = Objects.requireNonNull(b.jdbcUrl, "jdbcUrl");
        this.user = Objects.requireNonNull(b.user, "user");
        this.password = b.password;
        this.slotPrefix = b.slotPrefix;
        this.leaseDuration = b.leaseDuration;
        this.leaseTable = b.leaseTable;
        this.owner = b.owner;
        this.lagWarnBytes = b.lagWarnBytes;
        this.lagCheckInterval = b.lagCheckInterval;
        this.statusInterval = b.statusInterval;
        this.maxBatch = b.maxBatch;
        this.truncates = b.truncates;
    }

    /** Setting key: the JDBC URL of the replication connection; {@value #JDBC_URL} of the connection by default. */
    public static final String CDC_JDBC_URL = "cdc.jdbcUrl";
    /** Setting key: the replication role; {@value #USER} of the connection by default. */
    public static final String CDC_USER = "cdc.user";
    /** Setting key: {@link Builder#slotPrefix}. */
    public static final String CDC_SLOT_PREFIX = "cdc.slotPrefix";
    /** Setting key: {@link Builder#leaseDuration}, in seconds. */
    public static final String CDC_LEASE_SECONDS = "cdc.leaseSeconds";
    /** Setting key: {@link Builder#lagWarnBytes}. */
    public static final String CDC_LAG_WARN_BYTES = "cdc.lagWarnBytes";
    /** Setting key: {@link Builder#truncates}, {@code FAIL} or {@code SKIP}. */
    public static final String CDC_TRUNCATES = "cdc.truncates";
    /** Setting key: {@link Builder#owner}. */
    public static final String CDC_OWNER = "cdc.owner";
    /** The connection's own JDBC URL key, used when {@value #CDC_JDBC_URL} is not set. */
    public static final String JDBC_URL = "jdbcUrl";
    /** The connection's own user key, used when {@value #CDC_USER} is not set. */
    public static final String USER = "user";

    /**
     * Settings from a connection's settings map ({@code ConnectionConfig.settings()}, which holds no secrets), with
     * the replication role's password from the connection's credential.
     *
     * @param password the replication role's password, or null for none (trust or certificate authentication)
     * @throws IllegalArgumentException naming the key of a missing or malformed value
     */
    public static PostgresChangeFeedSettings fromSettings(
            String connection, Map<String, String> settings, @Nullable String password) {
        String url = settings.getOrDefault(CDC_JDBC_URL, settings.get(JDBC_URL));
        String user = settings.getOrDefault(CDC_USER, settings.get(USER));
        if (url == null || user == null) {
            throw new IllegalArgumentException("change data capture needs the settings " + CDC_JDBC_URL + " (or "
                    + JDBC_URL + ") and " + CDC_USER + " (or " + USER + "): the replication connection's JDBC URL"
                    + " and a role with the REPLICATION attribute");
        }
        Builder b = builder(connection, url, user).password(password);
        String key = null;
        try {
            key = CDC_SLOT_PREFIX;
            String prefix = settings.get(key);
            if (prefix != null) {
                b.slotPrefix(prefix.trim());
            }
            key = CDC_LEASE_SECONDS;
            String lease = settings.get(key);
            if (lease != null) {
                b.leaseDuration(Duration.ofSeconds(Long.parseLong(lease.trim())));
            }
            key = CDC_LAG_WARN_BYTES;
            String lag = settings.get(key);
            if (lag != null) {
                b.lagWarnBytes(Long.parseLong(lag.trim()));
            }
            key = CDC_TRUNCATES;
            String truncates = settings.get(key);
            if (truncates != null) {
                b.truncates(Truncates.valueOf(truncates.trim().toUpperCase(Locale.ROOT)));
            }
            key = CDC_OWNER;
            String owner = settings.get(key);
            if (owner != null) {
                b.owner(owner.trim());
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException(
                    "setting " + key + " of connection " + connection + " is not" + " accepted: " + e.getMessage(), e);
        }
        return b.build();
    }

    /**
     * Settings for {@code connection} (the connection id events and meters carry), replicating from
     * {@code jdbcUrl} ({@code jdbc:postgresql://...}) as {@code user}, a role with the {@code REPLICATION}
     * attribute (or a superuser) that owns the followed tables or may create publications on them.
     */
    public static Builder builder(String connection, String jdbcUrl, String user) {
        return new Builder(connection, jdbcUrl, user);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder newBuilder() {
        Builder b = new Builder(connection, jdbcUrl, user);
        b.connector = connector;
        b.password = password;
        b.slotPrefix = slotPrefix;
        b.leaseDuration = leaseDuration;
        b.leaseTable = leaseTable;
        b.owner = owner;
        b.lagWarnBytes = lagWarnBytes;
        b.lagCheckInterval = lagCheckInterval;
        b.statusInterval = statusInterval;
        b.maxBatch = maxBatch;
        b.truncates = truncates;
        return b;
    }

    /** The connection id events carry and meters are tagged with. */
    public String connection() {
        return connection;
    }

    /** The connector id records name as their source, {@code jdbc} unless set. */
    public String connector() {
        return connector;
    }

    /** The JDBC URL of the database; never log it. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The replication role. */
    public String user() {
        return user;
    }

    /** The replication role's password, if any; never log it. */
    public @Nullable String password() {
        return password;
    }

    /** The prefix of slot and publication names. */
    public String slotPrefix() {
        return slotPrefix;
    }

    /**
     * How long an instance's hold on a slot lasts without renewal (it renews on every poll): another instance takes
     * the slot over at most this long after the holder died, plus one poll.
     */
    public Duration leaseDuration() {
        return leaseDuration;
    }

    /** The table of slot leases, created if missing. */
    public String leaseTable() {
        return leaseTable;
    }

    /** This instance's name in the lease table. */
    public String owner() {
        return owner;
    }

    /** The slot lag (bytes of WAL the slot holds back) past which the feed logs a WARN. */
    public long lagWarnBytes() {
        return lagWarnBytes;
    }

    /** How often the slot's lag is measured (for the gauge and the WARN). */
    public Duration lagCheckInterval() {
        return lagCheckInterval;
    }

    /** How often the stream reports its position to the server when idle. */
    public Duration statusInterval() {
        return statusInterval;
    }

    /** The most events one poll returns. */
    public int maxBatch() {
        return maxBatch;
    }

    /** What a truncate of a followed table does. */
    public Truncates truncates() {
        return truncates;
    }

    /**
     * The replication slot (and publication) that follows {@code stream} for {@code subscriber} (the name its
     * positions are stored under, {@code ChangeRequest.subscriber()}):
     * {@code <slotPrefix>_<connection>_<stream>_<subscriber>}, lower case, characters other than {@code a-z0-9_}
     * replaced by {@code _}; a name over PostgreSQL's 63 characters is cut and ends with a hash of the whole. A slot
     * has one confirmed position, so each subscriber needs its own: one's acknowledgements must not let the server
     * discard what another has not seen.
     */
    public String slotName(String stream, String subscriber) {
        String raw = (slotPrefix + "_" + connection + "_" + stream + "_" + subscriber).toLowerCase(Locale.ROOT);
        String name = raw.replaceAll("[^a-z0-9_]", "_");
        if (name.length() > 63) {
            String hash = Integer.toHexString(raw.hashCode());
            name = name.substring(0, 63 - hash.length() - 1) + "_" + hash;
        }
        return name;
    }

    /** Names the connection and the slot settings, never the URL or the password. */
    @Override
    public String toString() {
        return "PostgresChangeFeedSettings[connection=" + connection + ", user=" + user + ", slotPrefix="
                + slotPrefix + ", lease=" + leaseDuration + " in " + leaseTable + ", owner=" + owner
                + ", lagWarnBytes=" + lagWarnBytes + ", truncates=" + truncates + "]";
    }

    /** Builds {@link PostgresChangeFeedSettings}; every setter checks its value at once. */
    public static final class Builder {
        private final String connection;
        private String connector = "jdbc";
        private final String jdbcUrl;
        private final String user;
        private @Nullable String password;
        private String slotPrefix = "switchboard";
        private Duration leaseDuration = Duration.ofSeconds(15);
        private String leaseTable = "switchboard_cdc_lease";
        private String owner = defaultOwner();
        private long lagWarnBytes = 1L << 30;
        private Duration lagCheckInterval = Duration.ofSeconds(30);
        private Duration statusInterval = Duration.ofSeconds(10);
        private int maxBatch = 1000;
        private Truncates truncates = Truncates.FAIL;

        private Builder(String connection, String jdbcUrl, String user) {
            this.connection = nonBlank(connection, "connection");
            if (!Objects.requireNonNull(jdbcUrl, "jdbcUrl").startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(
                        "change data capture needs a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
            }
            this.jdbcUrl = jdbcUrl;
            this.user = nonBlank(user, "user");
        }

        public Builder connector(String connector) {
            this.connector = nonBlank(connector, "connector");
            return this;
        }

        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /** Letters, digits and {@code _}, starting with a letter; at most 20 characters. */
        public Builder slotPrefix(String slotPrefix) {
            if (!Objects.requireNonNull(slotPrefix, "slotPrefix").matches("[A-Za-z][A-Za-z0-9_]{0,19}")) {
                throw new IllegalArgumentException("slotPrefix must be letters, digits and '_', starting with a"
                        + " letter, at most 20 characters, e.g. switchboard");
            }
            this.slotPrefix = slotPrefix;
            return this;
        }

        /** At least one second. */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = atLeast(leaseDuration, Duration.ofSeconds(1), "leaseDuration");
            return this;
        }

        /** Letters, digits and {@code _}, optionally after a schema name and {@code .}. */
        public Builder leaseTable(String leaseTable) {
            if (!Objects.requireNonNull(leaseTable, "leaseTable")
                    .matches("([A-Za-z_][A-Za-z0-9_]*\\.)?[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("leaseTable '" + leaseTable + "' is not accepted: use letters,"
                        + " digits and '_', optionally after a schema name and '.'");
            }
            this.leaseTable = leaseTable;
            return this;
        }

        /** This instance's name in the lease table; by default the host name (from {@code HOSTNAME}), the process id and a random suffix. */
        public Builder owner(String owner) {
            this.owner = nonBlank(owner, "owner");
            return this;
        }

        /** At least 1 MiB. */
        public Builder lagWarnBytes(long lagWarnBytes) {
            if (lagWarnBytes < (1L << 20)) {
                throw new IllegalArgumentException("lagWarnBytes must be at least 1 MiB (1048576)");
            }
            this.lagWarnBytes = lagWarnBytes;
            return this;
        }

        /** At least 100 ms. */
        public Builder lagCheckInterval(Duration lagCheckInterval) {
            this.lagCheckInterval = atLeast(lagCheckInterval, Duration.ofMillis(100), "lagCheckInterval");
            return this;
        }

        /** At least one second, and under the server's {@code wal_sender_timeout} (60 s by default). */
        public Builder statusInterval(Duration statusInterval) {
            this.statusInterval = atLeast(statusInterval, Duration.ofSeconds(1), "statusInterval");
            return this;
        }

        /** 1 to 100,000. */
        public Builder maxBatch(int maxBatch) {
            if (maxBatch < 1 || maxBatch > 100_000) {
                throw new IllegalArgumentException("maxBatch must be between 1 and 100000");
            }
            this.maxBatch = maxBatch;
            return this;
        }

        public Builder truncates(Truncates truncates) {
            this.truncates = Objects.requireNonNull(truncates, "truncates");
            return this;
        }

        public PostgresChangeFeedSettings build() {
            return new PostgresChangeFeedSettings(this);
        }

        private static String nonBlank(String value, String name) {
            if (Objects.requireNonNull(value, name).isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank");
            }
            return value;
        }

        private static Duration atLeast(Duration value, Duration min, String name) {
            if (Objects.requireNonNull(value, name).compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min);
            }
            return value;
        }

        private static String defaultOwner() {
            // No host-name lookup: it may wait on DNS. The pid and a random part are unique enough to tell owners
            // apart.
            String host = System.getenv("HOSTNAME");
            return (host == null || host.isBlank() ? "" : host + "/")
                    + ProcessHandle.current().pid() + "/"
                    + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
