package dev.switchboard.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connector that makes an event of a stream it does not have (a mapping mistake) gets the delivery
 * refused as a failure, audited and counted, and nothing applied; the delivery is not remembered as
 * accepted, so the vendor's retry after the connector is fixed goes through instead of being a replay.
 */
class MistakenWebhookConnectorTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private volatile String eventStream = "order"; // the mistake: the stream is "orders"
    private Switchboard switchboard;

    /** Orders, followed through webhooks only; its delivery id is the body. */
    private final class Relay implements Connector {
        @Override
        public ConnectorDescriptor descriptor() {
            return ConnectorDescriptor.builder("relay").authKind(AuthKind.NONE).needsBaseUrl(false).stream(
                            new StreamDescriptor(
                                    "orders",
                                    Schema.builder()
                                            .required("id", FieldType.STRING)
                                            .build(),
                                    "id",
                                    "id"))
                    .build();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            String connection = context.connection().id();
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    return () -> new Page(List.of(), true);
                }

                @Override
                public ActionOutput execute(ActionCall call) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public WebhookOutcome webhook(WebhookCall call) {
                    return WebhookOutcome.events(
                            List.of(ChangeEvent.of(
                                    connection,
                                    eventStream,
                                    "o1",
                                    ChangeEvent.Op.UPSERT,
                                    null,
                                    null,
                                    ChangeEvent.Origin.WEBHOOK)),
                            call.receivedAt(),
                            call.request().bodyText());
                }
            };
        }
    }

    @AfterEach
    void tearDown() {
        switchboard.close();
    }

    @Test
    void aDeliveryTheConnectorMappedWrongIsFailedAndNotRememberedAsAccepted() {
        switchboard = Switchboard.builder()
                .connector(new Relay())
                .connection(ConnectionConfig.builder("relay-acme")
                        .connector("relay")
                        .build())
                .accessPolicy(AccessPolicy.allowAll())
                .auditSink(audit)
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
        List<ChangeEvent> heard = new CopyOnWriteArrayList<>();
        switchboard.subscribe(
                AgentContext.of(Principal.system("memory")),
                ChangeRequest.builder("memory", "relay-acme").manual().build(),
                heard::add);
        WebhookRequest delivery = new WebhookRequest(
                "relay-acme",
                "POST",
                URI.create("https://app.example.com/webhooks/relay-acme"),
                Map.of(),
                "delivery-1".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> switchboard.webhooks().handle(delivery))
                .isInstanceOfSatisfying(
                        PermanentException.class,
                        e -> assertThat(e.getMessage())
                                .contains("relay-acme/order")
                                .contains("nothing was applied"));
        assertThat(heard).isEmpty();
        assertThat(audit.events())
                .filteredOn(e -> e.kind() == AuditEvent.Kind.WEBHOOK)
                .singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo(AuditEvent.Outcome.FAILED));
        assertThat(switchboard
                        .meterRegistry()
                        .find("switchboard.webhooks")
                        .tags("outcome", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);

        eventStream = "orders"; // the connector is fixed; the vendor retries the same delivery

        assertThat(switchboard.webhooks().handle(delivery).events()).hasSize(1);
        assertThat(heard).extracting(ChangeEvent::recordId).containsExactly("o1");
    }
}
