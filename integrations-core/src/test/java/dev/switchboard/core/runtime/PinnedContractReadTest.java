package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.StreamReader;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.model.FieldType;
import dev.switchboard.core.model.Schema;
import dev.switchboard.core.time.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What core hands a connector's reader: the connection's contract, and only requested fields it promises. */
class PinnedContractReadTest {
    private static final Schema DECLARED = Schema.builder()
            .required("id", FieldType.STRING)
            .required("updated_at", FieldType.TIMESTAMP)
            .optional("subject", FieldType.STRING)
            .build();
    private static final Schema.Field TIER = new Schema.Field("tier__c", FieldType.STRING, true, false);

    private final List<StreamCall> calls = new ArrayList<>();
    /** What the reader answers: none by default. */
    private final List<dev.switchboard.core.model.Record> served = new ArrayList<>();

    private final AgentContext ctx = AgentContext.of(Principal.user("alice", "acme"));
    private Switchboard switchboard;

    /** Records each call and answers one empty page: what it was asked to read is the point. */
    private final Connector connector = new Connector() {
        @Override
        public ConnectorDescriptor descriptor() {
            return ConnectorDescriptor.builder("crm").authKind(AuthKind.NONE).stream(
                            new StreamDescriptor("accounts", DECLARED, "id", "updated_at"))
                    .build();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    calls.add(call);
                    return () -> new Page(served, true);
                }

                @Override
                public dev.switchboard.core.connector.ActionOutput execute(
                        dev.switchboard.core.connector.ActionCall call) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    };

    @AfterEach
    void close() {
        if (switchboard != null) {
            switchboard.close();
        }
    }

    private void connect(@Nullable Schema pinned) {
        ConnectionConfig.Builder c =
                ConnectionConfig.builder("crm-acme").connector("crm").baseUrl("http://localhost:1");
        if (pinned != null) {
            c.contract("accounts", pinned);
        }
        ManualClock clock = ManualClock.at(Instant.parse("2026-03-01T12:00:00Z"));
        switchboard = Switchboard.builder()
                .discoverConnectors(false)
                .connector(connector)
                .connection(c.build())
                .tokenStore(TokenStore.inMemory(clock))
                .accessPolicy(AccessPolicy.allowAll())
                .quarantineStore(dev.switchboard.core.drift.QuarantineStore.inMemory())
                .auditSink(AuditSink.inMemory())
                .clock(clock)
                .sleeper(clock.sleeper())
                .build();
    }

    private List<String> read(ReadRequest request) {
        List<String> ids = new ArrayList<>();
        try (RecordStream records = switchboard.connection("crm-acme").read(ctx, request)) {
            records.forEach(r -> ids.add(r.id()));
        }
        return ids;
    }

    @Test
    void aNestedFieldMissingUnderASelectedObjectIsDriftNotIgnored() {
        Schema address = Schema.builder().required("city", FieldType.STRING).build();
        connect(DECLARED.with(new Schema.Field("address", FieldType.OBJECT, false, true).withProperties(address)));
        served.add(dev.switchboard.core.model.Record.builder().stream("accounts")
                .id("a1")
                .source(new dev.switchboard.core.model.RecordSource("crm", "crm-acme", "account"))
                .data(dev.switchboard.core.json.Json.objectFrom(java.util.Map.of(
                        "id",
                        "a1",
                        "updated_at",
                        "2026-03-01T00:00:00Z",
                        "address",
                        java.util.Map.of("street", "Main"))))
                .build());

        // The read selects "address": a promise inside it that the record breaks is breaking drift (quarantined
        // by default), not a field the caller did not ask for.
        assertThat(read(ReadRequest.of("accounts").fields("address"))).isEmpty();
        assertThat(switchboard.quarantine(ctx).list("crm-acme", "accounts"))
                .singleElement()
                .satisfies(q -> assertThat(q.drifts())
                        .extracting(dev.switchboard.core.model.Drift::field)
                        .contains("address.city"));
    }

    @Test
    void theReaderIsGivenThePinnedContractWithTheDeclaredKeys() {
        connect(DECLARED.with(TIER));

        read(ReadRequest.of("accounts"));
        read(ReadRequest.of("accounts").fields("tier__c"));

        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.stream().schema().fields())
                    .extracting(Schema.Field::name)
                    .containsExactly("id", "updated_at", "subject", "tier__c");
            assertThat(call.stream().primaryKey()).isEqualTo("id");
            assertThat(call.stream().cursorField()).isEqualTo("updated_at");
        });
        assertThat(calls.get(1).request().fields()).containsExactly("tier__c");
    }

    @Test
    void withoutAPinTheReaderIsGivenTheDeclaredSchemaAndAFieldOutsideItIsRefusedBeforeOpening() {
        connect(null);

        read(ReadRequest.of("accounts"));
        assertThat(calls)
                .singleElement()
                .satisfies(call -> assertThat(call.stream().schema()).isEqualTo(DECLARED));

        assertThatThrownBy(() -> read(ReadRequest.of("accounts").fields("subject", "tier__c")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'tier__c' is not in the contract of stream 'accounts'")
                .hasMessageContaining("pin a contract that includes it");
        assertThat(calls).hasSize(1);
    }
}
