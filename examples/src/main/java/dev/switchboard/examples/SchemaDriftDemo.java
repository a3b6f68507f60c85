package dev.switchboard.examples;

import dev.switchboard.connectors.salesforce.SalesforceConnector;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.drift.QuarantinedRecord;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.json.JsonString;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.Sleeper;
import dev.switchboard.testkit.fake.FakeSalesforce;
import dev.switchboard.testkit.fake.VendorFake;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The demo's schema-drift step: a Salesforce org retypes a field in the middle of a read. The
 * connection's policy is QUARANTINE (the default): the Opportunities that arrive with the new type
 * are kept aside in the quarantine store with their drift, the others are delivered, and the
 * checkpoint moves past both, so nothing is lost and nothing is read twice.
 */
final class SchemaDriftDemo {
    static final String CONNECTION = "salesforce-drift";
    /** The field the org retypes, and what its values become. */
    static final String FIELD = "Amount";

    static final String NEW_VALUE = "see quote";

    private SchemaDriftDemo() {}

    /**
     * What the read did.
     *
     * @param delivered the records delivered, in order
     * @param quarantined what the quarantine store holds for the stream afterwards
     * @param checkpoint the checkpoint after the read
     * @param held the ids of the Opportunities the fake holds, in cursor order
     * @param drift the DRIFT audit events of the read
     * @param meters where the drift was counted
     */
    record DriftRead(
            List<Record> delivered,
            List<QuarantinedRecord> quarantined,
            Checkpoint checkpoint,
            List<String> held,
            List<AuditEvent> drift,
            MeterRegistry meters) {}

    static DriftRead run(PrintStream out, AgentContext context, Clock clock, Sleeper sleeper) {
        try (FakeSalesforce salesforce = new FakeSalesforce()) {
            salesforce.start();
            ConnectionConfig config = ConnectionConfig.builder(CONNECTION)
                    .connector(SalesforceConnector.ID)
                    .baseUrl(salesforce.baseUrl())
                    .settings(Map.of(SalesforceConnector.ORG_ID_SETTING, FakeSalesforce.ORG_ID))
                    .driftPolicy(DriftPolicy.QUARANTINE)
                    .build();
            TokenStore tokens = TokenStore.inMemory(clock);
            tokens.compareAndSet(
                    config.credentialKey(context.principal()),
                    0,
                    Credential.builder(VendorFake.ACCESS_TOKEN)
                            .attributes(Map.of(SalesforceConnector.INSTANCE_URL, salesforce.baseUrl()))
                            .build());
            InMemoryAuditSink audit = AuditSink.inMemory();
            MeterRegistry meters = new SimpleMeterRegistry();
            List<String> held = salesforce.records("Opportunity").stream()
                    .sorted(java.util.Comparator.comparing(
                                    (dev.switchboard.core.json.JsonObject o) -> o.string("SystemModstamp"))
                            .thenComparing(o -> o.string("Id")))
                    .map(o -> o.string("Id"))
                    .toList();

            try (Switchboard switchboard = Switchboard.builder()
                    .connection(config)
                    .tokenStore(tokens)
                    .accessPolicy(AccessPolicy.allowAll()) // as in step 6: a demo-only policy
                    // The demo ends with the process; an application keeps them in a JdbcQuarantineStore.
                    .quarantineStore(QuarantineStore.inMemory())
                    .auditSink(audit)
                    .meterRegistry(meters)
                    .clock(clock)
                    .sleeper(sleeper)
                    .build()) {
                out.printf(
                        "  connection %s -> connector %s, drift policy %s, contract: %s is %s%n",
                        CONNECTION,
                        SalesforceConnector.ID,
                        switchboard.connection(CONNECTION).driftPolicy(),
                        FIELD,
                        switchboard
                                .connection(CONNECTION)
                                .contract("Opportunity")
                                .field(FIELD)
                                .orElseThrow()
                                .type());
                List<Record> delivered = new ArrayList<>();
                Checkpoint checkpoint;
                try (RecordStream stream = switchboard
                        .connection(CONNECTION)
                        .read(context, ReadRequest.of("Opportunity").pageSize(2))) {
                    Iterator<Record> it = stream.iterator();
                    delivered.add(it.next());
                    delivered.add(it.next());
                    out.printf(
                            "  page 1     %d Opportunities delivered; then the org's admin turns %s into a text field%n",
                            delivered.size(), FIELD);
                    salesforce.faults().retype(FIELD, new JsonString(NEW_VALUE));
                    it.forEachRemaining(delivered::add);
                    checkpoint = stream.checkpoint();
                }
                List<QuarantinedRecord> quarantined =
                        switchboard.quarantine(context).list(CONNECTION, "Opportunity");
                out.printf(
                        "  read       %d delivered, %d quarantined (the fake holds %d)%n",
                        delivered.size(), quarantined.size(), held.size());
                for (QuarantinedRecord q : quarantined) {
                    out.printf("  quarantine %s  %s%n", q.id(), q.reason());
                }
                out.printf(
                        "  checkpoint after %s %s, id %s: past the quarantined records, which are not read again%n",
                        "SystemModstamp",
                        checkpoint.position().orElseThrow().cursor(),
                        checkpoint.position().orElseThrow().id());
                List<AuditEvent> drift = audit.events().stream()
                        .filter(e -> e.kind() == AuditEvent.Kind.DRIFT)
                        .toList();
                for (AuditEvent e : drift) {
                    out.printf("  audit      %s %s ids=%s  %s%n", e.kind(), e.outcome(), e.recordIds(), e.detail());
                }
                return new DriftRead(List.copyOf(delivered), quarantined, checkpoint, held, drift, meters);
            }
        }
    }
}
