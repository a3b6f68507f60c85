package dev.switchboard.connectors.hubspot;

import dev.switchboard.connectors.hubspot.internal.HubSpotBudgetSignals;
import dev.switchboard.connectors.hubspot.internal.HubSpotResponseClassifier;
import dev.switchboard.connectors.hubspot.internal.HubSpotSession;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.http.BudgetSettings;
import dev.switchboard.core.http.BudgetSignalReader;
import dev.switchboard.core.http.ResponseClassifier;
import java.time.Duration;

/**
 * HubSpot CRM v3, found by {@link java.util.ServiceLoader} as connector {@code hubspot}.
 *
 * <p>Streams: {@code contacts}, {@code companies}, {@code deals}, {@code tickets} (incremental on
 * {@code updatedAt}, through the search API), {@code owners}, {@code associations} and
 * {@code properties} (full reads). Actions: {@code update_ticket}, {@code create_note},
 * {@code create_task}. Connection settings: {@value #PORTAL_ID} (required), and
 * {@value #SEARCH_RESULT_CAP} (optional). Base URL: {@value #BASE_URL}. OAuth facts are in
 * {@link HubSpotOAuth}.
 */
public final class HubSpotConnector implements Connector {
  /** The API's base URL. */
  public static final String BASE_URL = "https://api.hubapi.com";
  /** Connection setting: the portal (hub id) the grant belongs to; the tenant of every record. */
  public static final String PORTAL_ID = "portalId";
  /** Connection setting: the most results one search query pages through; HubSpot's cap is 10,000. */
  public static final String SEARCH_RESULT_CAP = "searchResultCap";

  private static final ConnectorDescriptor DESCRIPTOR = HubSpotSession.descriptor();
  private static final ResponseClassifier CLASSIFIER = new HubSpotResponseClassifier();
  private static final BudgetSignalReader SIGNALS = new HubSpotBudgetSignals();

  @Override
  public ConnectorDescriptor descriptor() {
    return DESCRIPTOR;
  }

  @Override
  public ConnectorSession open(ConnectorContext context) {
    String portal = context.connection().settings().get(PORTAL_ID);
    if (portal == null || !portal.matches("[0-9]+")) {
      throw new IllegalArgumentException("HubSpot connection '" + context.connection().id() + "' needs the setting '"
          + PORTAL_ID + "' (the portal's numeric hub id)");
    }
    String cap = context.connection().settings().getOrDefault(SEARCH_RESULT_CAP, "10000");
    int searchResultCap;
    try {
      searchResultCap = Integer.parseInt(cap);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("HubSpot setting '" + SEARCH_RESULT_CAP + "' must be a number: " + cap, e);
    }
    if (searchResultCap < 1 || searchResultCap > 10_000) {
      throw new IllegalArgumentException("HubSpot setting '" + SEARCH_RESULT_CAP + "' must be 1 to 10000: " + cap);
    }
    return new HubSpotSession(context.connection().id(), portal, searchResultCap, context.clock());
  }

  @Override
  public ResponseClassifier responseClassifier() {
    return CLASSIFIER;
  }

  @Override
  public BudgetSignalReader budgetSignals() {
    return SIGNALS;
  }

  /**
   * One request now and three a second after: no rolling 10-second window sees more than 31
   * (HubSpot allows 100 on its lowest plan), and no second more than 4, which is search's own
   * limit. Core sizes every budget key of a connection alike, so the search limit sets the pace;
   * a connection that reads no search streams can configure a larger budget.
   */
  @Override
  public BudgetSettings defaultBudget() {
    return new BudgetSettings(1, 3, Duration.ofSeconds(1));
  }
}
