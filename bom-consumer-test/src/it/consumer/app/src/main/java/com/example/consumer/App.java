package com.example.consumer;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.connectors.slack.SlackConnector;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.normalize.Normalizer;
import dev.switchboard.oauth.ProviderSettings;

/** Uses the API of every published main module, so the consumer compiles against each of them. */
final class App {

    static Switchboard.Builder switchboard() {
        return Switchboard.builder()
                .connection(ConnectionConfig.builder("hubspot-acme")
                        .connector("hubspot")
                        .baseUrl(HubSpotConnector.BASE_URL)
                        .build());
    }

    static ProviderSettings.Builder hubSpotOAuth() {
        return ProviderSettings.hubspot();
    }

    static Normalizer normalizer() {
        return Normalizer.standard();
    }

    static String[] connectors() {
        return new String[] {
            new HubSpotConnector().descriptor().id(),
            new SalesforceConnector().descriptor().id(),
            new SlackConnector().descriptor().id()
        };
    }

    private App() {}
}
