package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.cache.ReadCache;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.ActionOutput;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.support.Helpdesk;
import dev.switchboard.core.support.HelpdeskConnector;
import dev.switchboard.core.support.HelpdeskFake;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seams a database connector needs: a connection's own descriptor (its tables), the reader's context on
 * every call (for the database's row-level security), and a read cache that never hands one principal's
 * pages to another when the connector says its reads depend on who reads.
 */
class ConnectorSeamsTest {
    private final ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
    private final HelpdeskFake fake = new HelpdeskFake(clock);
    private final AgentContext alice = AgentContext.of(Principal.user("alice", "acme"));
    private final AgentContext bob = AgentContext.of(Principal.user("bob", "acme"));
    private final List<String> readers = new CopyOnWriteArrayList<>();
    private Switchboard switchboard;

    @BeforeEach
    void start() {
        fake.start()
                .ticket("t1", "2026-02-01T00:00:00Z", "alice", "private")
                .ticket("t2", "2026-02-02T00:00:00Z", "bob", "private");
    }

    @AfterEach
    void stop() {
        if (switchboard != null) {
            switchboard.close();
        }
        fake.close();
    }

    private Switchboard build(Connector connector, ConnectionConfig connection) {
        return Switchboard.builder()
                .tokenStore(Helpdesk.tokens(clock))
                .clock(clock)
                .sleeper(clock.sleeper())
                .connector(connector)
                .connection(connection)
                .accessPolicy(AccessPolicy.allowAll())
                .consentGate(ConsentGate.approveAll())
                .readCache(ReadCache.inMemory(16))
                .build();
    }

    private List<String> read(AgentContext context) {
        List<String> ids = new ArrayList<>();
        try (RecordStream tickets =
                switchboard.connection(Helpdesk.CONNECTION).read(context, ReadRequest.of("tickets"))) {
            for (Record r : tickets) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    @Test
    void aConnectorWhoseReadsDependOnThePrincipalGetsNoOtherPrincipalsCachedPages() {
        switchboard = build(
                new Wrapped(true, c -> new HelpdeskConnector().descriptor()), Helpdesk.connection(fake.baseUrl()));

        read(alice);
        int afterAlice = fake.requests("GET", "/tickets");
        read(bob);
        int afterBob = fake.requests("GET", "/tickets");
        read(alice);

        assertThat(afterBob).as("bob's read reached the source").isGreaterThan(afterAlice);
        assertThat(fake.requests("GET", "/tickets"))
                .as("alice's second read came from her cached pages")
                .isEqualTo(afterBob);
        assertThat(readers).containsExactly("alice", "bob");
    }

    @Test
    void aConnectorWhoseReadsDoNotDependOnThePrincipalSharesCachedPages() {
        switchboard = build(
                new Wrapped(false, c -> new HelpdeskConnector().descriptor()), Helpdesk.connection(fake.baseUrl()));

        read(alice);
        int afterAlice = fake.requests("GET", "/tickets");
        read(bob);

        assertThat(fake.requests("GET", "/tickets")).isEqualTo(afterAlice);
    }

    @Test
    void aConnectionGetsTheDescriptorItsConnectorGivesIt() {
        // The connector offers each connection only the streams its settings name, as a database connector
        // offers the tables it discovered.
        Wrapped perConnection = new Wrapped(false, c -> {
            ConnectorDescriptor all = new HelpdeskConnector().descriptor();
            ConnectorDescriptor.Builder b =
                    ConnectorDescriptor.builder(all.id()).authKind(all.authKind());
            all.stream(c.connection().settings().get("stream")).ifPresent(b::stream);
            return b.build();
        });
        switchboard = build(
                perConnection,
                Helpdesk.connection(fake.baseUrl())
                        .newBuilder()
                        .settings(java.util.Map.of("stream", "agents"))
                        .build());

        assertThat(switchboard.connection(Helpdesk.CONNECTION).descriptor().streams())
                .extracting(s -> s.name())
                .containsExactly("agents");
    }

    @Test
    void aConnectionsDescriptorKeepsItsConnectorsId() {
        Wrapped renaming =
                new Wrapped(false, c -> ConnectorDescriptor.builder("other").build());

        assertThatThrownBy(() -> build(renaming, Helpdesk.connection(fake.baseUrl())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connector 'helpdesk' described connection '" + Helpdesk.CONNECTION + "'")
                .hasMessageContaining("keeps the connector's id");
    }

    /** The helpdesk connector, saying whether its reads depend on the principal, recording who reads. */
    private final class Wrapped implements Connector {
        private final HelpdeskConnector inner = new HelpdeskConnector();
        private final boolean dependsOnPrincipal;
        private final Function<ConnectorContext, ConnectorDescriptor> perConnection;

        Wrapped(boolean dependsOnPrincipal, Function<ConnectorContext, ConnectorDescriptor> perConnection) {
            this.dependsOnPrincipal = dependsOnPrincipal;
            this.perConnection = perConnection;
        }

        @Override
        public ConnectorDescriptor descriptor() {
            return inner.descriptor();
        }

        @Override
        public ConnectorDescriptor descriptor(ConnectorContext context) {
            return perConnection.apply(context);
        }

        @Override
        public boolean readsDependOnPrincipal() {
            return dependsOnPrincipal;
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            ConnectorSession session = inner.open(context);
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    readers.add(call.context().principal().userId());
                    return session.openStream(call);
                }

                @Override
                public ActionOutput execute(ActionCall call) {
                    return session.execute(call);
                }
            };
        }

        @Override
        public dev.switchboard.core.http.ResponseClassifier responseClassifier() {
            return inner.responseClassifier();
        }
    }
}
