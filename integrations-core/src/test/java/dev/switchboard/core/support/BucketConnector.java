package dev.switchboard.core.support;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionDescriptor;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.http.ResponseClass;
import dev.switchboard.core.http.ResponseClassifier;
import dev.switchboard.core.http.VendorRequest;
import dev.switchboard.core.json.Json;
import dev.switchboard.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;

/**
 * A connector for rate-budget tests, needing no credential: one action, {@code ping}
 * ({@code GET /ping}), sent on the bucket named by the connection setting {@value #BUCKET} (the
 * connection's own budget without it), and declared at build ({@link #budgetKeys}) when the setting
 * {@value #DECLARE} is {@code true}. An HTTP 429 with {@code X-Quota: daily} is a quota spent for 12
 * hours.
 */
public final class BucketConnector implements Connector {
    public static final String ID = "bucket";
    public static final String BUCKET = "bucket";
    public static final String DECLARE = "declare";

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
        String bucket = context.connection().settings().get(BUCKET);
        return new ConnectorSession() {
            @Override
            public StreamReader openStream(StreamCall call) {
                throw new UnsupportedOperationException("no streams");
            }

            @Override
            public dev.switchboard.core.connector.ActionOutput execute(ActionCall call) {
                VendorRequest.Builder ping = VendorRequest.get("/ping").operation("ping");
                if (bucket != null) {
                    ping.budgetKey(bucket);
                }
                call.http().execute(ping.build());
                return dev.switchboard.core.connector.ActionOutput.of(JsonObject.empty());
            }
        };
    }

    @Override
    public Set<String> budgetKeys(ConnectionConfig config) {
        String bucket = config.settings().get(BUCKET);
        return "true".equals(config.settings().get(DECLARE)) && bucket != null
                ? Set.of(bucket)
                : Connector.super.budgetKeys(config);
    }

    @Override
    public ResponseClassifier responseClassifier() {
        return (response, clock) -> response.status() == 429 && "daily".equals(response.header("X-Quota"))
                ? ResponseClass.quotaExhausted(clock.instant().plus(Duration.ofHours(12)), "DAILY")
                : ResponseClassifier.standard().classify(response, clock);
    }
}
