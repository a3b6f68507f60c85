package dev.switchboard.testkit.budgets;

import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;

/**
 * A connector without credentials whose one action, {@code ping}, is {@code GET /ping} on the connection's
 * own budget (sized by {@code ConnectionConfig.budget}); the standard classifier ({@code 429} with
 * {@code Retry-After}) and budget signals ({@code RateLimit-Remaining}) apply.
 */
final class PingConnector implements Connector {
    static final String ID = "ping";

    @Override
    public ConnectorDescriptor descriptor() {
        return ConnectorDescriptor.builder(ID)
                .authKind(AuthKind.NONE)
                .action(new ActionDescriptor(
                        "ping", "Pings", (JsonObject) Json.parse("{\"type\":\"object\"}"), Effect.READ, true))
                .build();
    }

    @Override
    public ConnectorSession open(ConnectorContext context) {
        return new ConnectorSession() {
            @Override
            public StreamReader openStream(StreamCall call) {
                throw new UnsupportedOperationException("no streams");
            }

            @Override
            public ActionOutput execute(ActionCall call) {
                call.http().execute(VendorRequest.get("/ping").operation("ping").build());
                return ActionOutput.of(JsonObject.empty());
            }
        };
    }
}
