package dev.switchboard.connectors.salesforce.internal;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.json.JsonObject;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Salesforce connection: its org, its budget key and its describe checks. Thread-safe. */
public final class SalesforceSession implements ConnectorSession {
  private static final Logger log = LoggerFactory.getLogger(SalesforceSession.class);
  private static final String DAILY_PREFIX = "salesforce:";
  private static final String DAILY_SUFFIX = ":daily";

  private final SalesforceRecords records;
  private final DescribeCheck describe;
  private final String budgetKey;

  /**
   * @param context the connection
   * @param orgIdSetting the name of the connection setting that holds the org id
   */
  public SalesforceSession(ConnectorContext context, String orgIdSetting) {
    String connection = context.connection().id();
    @Nullable String orgId = context.connection().settings().get(orgIdSetting);
    if (orgId == null || orgId.isBlank()) {
      orgId = null;
      log.warn("Salesforce connection '{}' has no '{}' setting: its records carry no ACL, so row-level policies deny them",
          connection, orgIdSetting);
    }
    this.records = new SalesforceRecords(connection, orgId);
    this.describe = new DescribeCheck(context.clock());
    // Salesforce counts API requests per org: every connection to one org spends one budget.
    this.budgetKey = dailyBudgetKey(orgId == null ? "connection:" + connection : orgId);
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
    return new SoqlStreamReader(call, SalesforceObjects.get(call.stream().name()), records, describe, budgetKey);
  }

  @Override
  public JsonObject execute(ActionCall call) {
    return SalesforceActions.run(call, budgetKey);
  }
}
