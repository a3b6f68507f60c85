package dev.switchboard.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.governance.AccessDecision;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.model.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The graph filled by reading through a Switchboard connection: the access policy decides what it holds. */
class GraphLoaderTest {
    /** Serves HubSpot-shaped records from memory, one page per stream, as the HubSpot connector would emit them. */
    private static final class ReplayHubSpot implements Connector {
        private final Map<String, List<Record>> streams;

        ReplayHubSpot(Map<String, List<Record>> streams) {
            this.streams = streams;
        }

        @Override
        public ConnectorDescriptor descriptor() {
            ConnectorDescriptor.Builder b =
                    ConnectorDescriptor.builder("hubspot").authKind(AuthKind.NONE);
            streams.keySet().stream()
                    .sorted()
                    .forEach(s -> b.stream(new StreamDescriptor(s, Schema.empty(), "id", null)));
            return b.build();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    return () -> new Page(streams.get(call.stream().name()), true);
                }

                @Override
                public dev.switchboard.core.connector.ActionOutput execute(ActionCall call) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }

    /** Everyone may read; one contact is withheld from everyone but its owner; nobody may read tickets. */
    private static final AccessPolicy POLICY = new AccessPolicy() {
        @Override
        public AccessDecision authorize(AgentContext context, Operation operation) {
            return operation.name().contains("tickets")
                    ? AccessDecision.deny("tickets are not for this agent")
                    : AccessDecision.allow("test policy");
        }

        @Override
        public @Nullable Record filter(AgentContext context, Record record) {
            return record.id().equals("102") && !context.principal().userId().equals("512") ? null : record;
        }
    };

    @Test
    void theLoaderReadsStreamsAsTheAgentMaySeeThem() {
        ReplayHubSpot hubspot = new ReplayHubSpot(Map.of(
                "contacts",
                        List.of(
                                LinkingFixtures.hsContact("101", "jane.doe@acme.com", "Jane", "Doe", null),
                                LinkingFixtures.hsContact("102", "secret@acme.com", "Sec", "Ret", null)),
                "companies", List.of(LinkingFixtures.hsCompany("7001", "Acme", "acme.com", null, "gold")),
                "tickets", List.of(LinkingFixtures.hsTicket("9001", "Export fails"))));
        Switchboard sb = Switchboard.builder()
                .discoverConnectors(false)
                .connector(hubspot)
                .connection(ConnectionConfig.builder(SourceRecords.HS)
                        .connector("hubspot")
                        .baseUrl("https://unused.invalid")
                        .build())
                .accessPolicy(POLICY)
                .auditSink(AuditSink.inMemory())
                .build();
        AgentContext support = AgentContext.of(Principal.user("u-1", SourceRecords.HS_PORTAL));

        EntityGraph g = EntityGraph.builder()
                .read(LinkingFixtures.normalizer(), sb.connection(SourceRecords.HS), support, "contacts", "companies")
                .build();

        assertThat(g.groups()).extracting(l -> l.primary().ref().id()).containsExactly("101", "7001");
        assertThat(g.person(Email.parse("secret@acme.com").orElseThrow())).isEmpty();
        LinkedEntity jane =
                g.person(Email.parse("jane.doe@acme.com").orElseThrow()).orElseThrow();
        assertThat(g.organizationsOf(jane))
                .extracting(o -> (Object) o.custom("tier").orElseThrow().value())
                .containsExactly(new Code("GOLD", "gold"));

        AgentContext owner = AgentContext.of(Principal.user("512", SourceRecords.HS_PORTAL));
        assertThat(EntityGraph.builder()
                        .read(LinkingFixtures.normalizer(), sb.connection(SourceRecords.HS), owner, "contacts")
                        .build()
                        .person(Email.parse("secret@acme.com").orElseThrow()))
                .isPresent();
        assertThatThrownBy(() -> EntityGraph.builder()
                        .read(LinkingFixtures.normalizer(), sb.connection(SourceRecords.HS), support, "tickets"))
                .isInstanceOf(PermissionDeniedException.class);
    }
}
