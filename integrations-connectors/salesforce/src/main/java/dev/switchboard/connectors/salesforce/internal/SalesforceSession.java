package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.http.VendorHttp;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.http.VendorResponse;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Salesforce connection: its org and its budget key. Thread-safe. Its {@link #describe} is the
 * object's describe, which core compares with the stream's contract when a read opens (at most once
 * an hour per stream: each describe costs one of the org's daily API requests).
 */
public final class SalesforceSession implements ConnectorSession {
    private static final Logger log = LoggerFactory.getLogger(SalesforceSession.class);
    private static final String DAILY_PREFIX = "salesforce:";
    private static final String DAILY_SUFFIX = ":daily";

    private final SalesforceRecords records;
    private final SalesforceSharing sharing;
    private final String budgetKey;
    private final String connection;
    private final Duration lookback;

    /**
     * @param context the connection
     * @param orgIdSetting the name of the connection setting that holds the org id
     * @param lookbackSetting the name of the connection setting that holds the look-back window
     * @param defaultLookback the look-back window when the setting is absent
     * @throws InvalidInputException when the look-back setting is not a non-negative ISO-8601 duration
     */
    public SalesforceSession(
            ConnectorContext context, String orgIdSetting, String lookbackSetting, Duration defaultLookback) {
        this(context, orgIdSetting, lookbackSetting, defaultLookback, null);
    }

    /**
     * @param readSharesSetting the name of the connection setting that turns on reading shares ({@code true}
     *     or {@code false}, false when absent), or null when there is none
     * @throws InvalidInputException when a setting has a value it cannot have
     */
    public SalesforceSession(
            ConnectorContext context,
            String orgIdSetting,
            String lookbackSetting,
            Duration defaultLookback,
            @Nullable String readSharesSetting) {
        String connection = context.connection().id();
        @Nullable String orgId = context.connection().settings().get(orgIdSetting);
        if (orgId == null || orgId.isBlank()) {
            orgId = null;
            log.warn(
                    "Salesforce connection '{}' has no '{}' setting: its records carry no ACL, so row-level policies deny them",
                    connection,
                    orgIdSetting);
        }
        this.connection = connection;
        this.records = new SalesforceRecords(connection, orgId);
        this.budgetKey = budgetKey(context.connection(), orgIdSetting);
        this.lookback = lookback(context.connection(), lookbackSetting, defaultLookback);
        this.sharing =
                new SalesforceSharing(readSharesSetting != null && flag(context.connection(), readSharesSetting));
    }

    /** The look-back window of a connection: its setting, an ISO-8601 duration such as {@code PT10M}, or the default. */
    static Duration lookback(ConnectionConfig connection, String setting, Duration fallback) {
        @Nullable String text = connection.settings().get(setting);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        @Nullable Duration d;
        try {
            d = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            d = null;
        }
        if (d == null || d.isNegative()) {
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR,
                    "open connection " + connection.id(),
                    "the setting '" + setting + "' must be an ISO-8601 duration of zero or more, such as PT10M"
                            + " (ten minutes); it is '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text)
                            + "'");
        }
        return d;
    }

    /** A true/false setting, false when absent. */
    static boolean flag(ConnectionConfig connection, String setting) {
        @Nullable String text = connection.settings().get(setting);
        if (text == null || text.isBlank()) {
            return false;
        }
        String t = text.strip();
        if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
            throw new InvalidInputException(
                    SalesforceRecords.CONNECTOR,
                    "open connection " + connection.id(),
                    "the setting '" + setting + "' must be true or false");
        }
        return t.equalsIgnoreCase("true");
    }

    /** How far before a checkpoint a resumed read starts again. */
    public Duration lookback() {
        return lookback;
    }

    /**
     * The one budget key a connection's requests spend: its org's daily API requests,
     * {@code salesforce:{org}:daily}, or {@code salesforce:connection:{id}:daily} without an org id.
     */
    public static String budgetKey(ConnectionConfig connection, String orgIdSetting) {
        @Nullable String orgId = connection.settings().get(orgIdSetting);
        // Salesforce counts API requests per org: every connection to one org spends one budget.
        return dailyBudgetKey(orgId == null || orgId.isBlank() ? "connection:" + connection.id() : orgId);
    }

    /** The budget key of an org's daily API requests: {@code salesforce:{org}:daily}. */
    static String dailyBudgetKey(String org) {
        return DAILY_PREFIX + org + DAILY_SUFFIX;
    }

    /** Whether a budget key is an org's daily API requests (the only bucket this connector sends on). */
    public static boolean isDailyBudgetKey(String key) {
        return key.startsWith(DAILY_PREFIX) && key.endsWith(DAILY_SUFFIX);
    }

    @Override
    public StreamReader openStream(StreamCall call) {
        return new SoqlStreamReader(
                call, SalesforceObjects.get(call.stream().name()), records, sharing, budgetKey, lookback);
    }

    /**
     * The object's describe ({@code /sobjects/{Object}/describe}) as a schema: every field the org
     * has, its type, nillability and, for picklists, the active values. A 404 means the object is not
     * available to this user (profile, licence, org edition).
     */
    @Override
    public Optional<Schema> describe(StreamDescriptor stream, VendorHttp http) {
        String object = SalesforceObjects.get(stream.name()).name();
        String operation = "describe " + object;
        VendorResponse response;
        try {
            response = http.execute(VendorRequest.get(SalesforceApi.describe(object))
                    .operation(operation)
                    .budgetKey(budgetKey)
                    .build());
        } catch (PermanentException e) {
            if (e.status().orElse(0) != 404) {
                throw e;
            }
            throw new PermanentException(
                    SalesforceRecords.CONNECTOR,
                    operation,
                    "Salesforce does not make " + object + " available to this user (describe answered 404)",
                    404,
                    e.vendorCode().orElse(null));
        }
        if (!(response.json() instanceof JsonObject answer) || answer.array("fields") == null) {
            throw new PermanentException(SalesforceRecords.CONNECTOR, operation, "a describe answer without 'fields'");
        }
        return Optional.of(SalesforceTypes.schemaOf(answer));
    }

    @Override
    public ActionOutput execute(ActionCall call) {
        return SalesforceActions.run(call, budgetKey);
    }

    @Override
    public Optional<String> summarize(ActionDescriptor action, JsonObject input) {
        return SalesforceActions.summarize(action, input, connection);
    }

    /** Reads (GET only) what the action would change; sends no write. */
    @Override
    public ActionPreview dryRun(ActionCall call) {
        return SalesforceActions.dryRun(call, budgetKey);
    }
}
