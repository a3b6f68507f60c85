package dev.switchboard.examples;

import dev.switchboard.connectors.hubspot.HubSpotConnector;
import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.connectors.slack.SlackSettings;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.model.Schema;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeHubSpot;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.FakeSlack;
import java.util.Map;

/** Connections to the vendor fakes, as the end-to-end tests open them: one per vendor, contracts pinned as given. */
final class FakeVendorConnections {
    static final String SALESFORCE = "sf-acme";
    static final String HUBSPOT = "hubspot-acme";
    static final String SLACK = "slack-acme";

    private FakeVendorConnections() {}

    static FakeConnection salesforce(FakeSalesforce fake, Map<String, Schema> contracts) {
        FakeConnection.Builder b = FakeConnection.to(fake, SalesforceConnector.ID)
                .connectionId(SALESFORCE)
                .setting(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID)
                .credentialAttributes(Map.of(SalesforceConnector.INSTANCE_URL, fake.baseUrl()));
        contracts.forEach(b::contract);
        return b.build();
    }

    static FakeConnection hubspot(FakeHubSpot fake, Map<String, Schema> contracts) {
        FakeConnection.Builder b =
                FakeConnection.to(fake, "hubspot").connectionId(HUBSPOT).setting(HubSpotConnector.PORTAL_ID, "62515");
        contracts.forEach(b::contract);
        return b.build();
    }

    static FakeConnection slack(FakeSlack fake) {
        return FakeConnection.to(fake, "slack")
                .connectionId(SLACK)
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .build();
    }

    /** The schema a connector declares for a stream: what a pinned contract extends. */
    static Schema declared(Connector connector, String stream) {
        return connector.descriptor().stream(stream).orElseThrow().schema();
    }
}
