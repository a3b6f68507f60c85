package dev.switchboard.connectors.slack;

import dev.switchboard.connectors.slack.internal.SlackBudgetSignals;
import dev.switchboard.connectors.slack.internal.SlackDescriptors;
import dev.switchboard.connectors.slack.internal.SlackResponseClassifier;
import dev.switchboard.connectors.slack.internal.SlackSession;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.ResponseClassifier;
import java.time.Duration;

/**
 * The Slack connector (id {@code slack}), found by {@link java.util.ServiceLoader}.
 *
 * <p>Streams: {@code conversations} (public and private channels the token can see),
 * {@code messages} (top-level messages and thread replies, incremental on {@code ts}), {@code users}.
 * Actions: {@code post_message}, {@code reply_in_thread}, each posted at most once.
 * Configure the connection's base URL as {@code https://slack.com} and its settings as
 * {@link SlackSettings} describes ({@code team_id} is required). See {@code docs/connectors/slack.md}.
 */
public final class SlackConnector implements Connector {
  /** The connector id. */
  public static final String ID = "slack";
  /** The base URL of the Web API; methods are under {@code /api/}. */
  public static final String BASE_URL = "https://slack.com";

  private final ResponseClassifier classifier = new SlackResponseClassifier();
  // Counts requests per workspace and method, so it lives as long as the connector.
  private final SlackBudgetSignals budgetSignals = new SlackBudgetSignals();

  @Override
  public ConnectorDescriptor descriptor() {
    return SlackDescriptors.DESCRIPTOR;
  }

  @Override
  public ConnectorSession open(ConnectorContext context) {
    SlackSettings settings = SlackSettings.from(context.connection().settings());
    budgetSignals.register(settings.teamId(), settings.requestsPerMinute());
    return new SlackSession(context.connection().id(), settings);
  }

  @Override
  public ResponseClassifier responseClassifier() {
    return classifier;
  }

  @Override
  public BudgetSignalReader budgetSignals() {
    return budgetSignals;
  }

  /**
   * Every budget key (one per workspace and method) starts as a bucket of 10 requests refilled at
   * 100 a minute, the Tier 4 rate, so no method bursts past Slack's fastest tier; the slower tiers
   * and the per-channel posting limit are enforced by {@link #budgetSignals()}.
   */
  @Override
  public BudgetSettings defaultBudget() {
    return new BudgetSettings(10, 100, Duration.ofMinutes(1));
  }
}
