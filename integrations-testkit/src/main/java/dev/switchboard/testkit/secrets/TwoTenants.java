package dev.switchboard.testkit.secrets;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.core.governance.AccessPolicy;
import dev.switchboard.core.governance.AuditSink;
import dev.switchboard.core.governance.ConsentGate;
import dev.switchboard.core.governance.InMemoryAuditSink;
import dev.switchboard.core.model.Record;
import dev.switchboard.core.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.NullMarked;

/**
 * One Switchboard, row-level access, with a connection per tenant, for canary tests: both tenants share the
 * token store, audit sink, meter registry, budgets and log, as in production. Plant canaries in tenant B's
 * data, drive B, then drive A and check A's outputs with {@link #assertTenantSawNoCanary}.
 */
@NullMarked
public final class TwoTenants implements AutoCloseable {
    /** A tenant's connection, its user, and the credential stored for that user. */
    public record Tenant(ConnectionConfig config, AgentContext user, Credential credential) {}

    private final Switchboard switchboard;
    private final InMemoryAuditSink audit = AuditSink.inMemory();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    /** Opens a Switchboard in {@code clock}'s virtual time holding both tenants' connections. */
    public TwoTenants(ManualClock clock, Tenant a, Tenant b) {
        TokenStore store = TokenStore.inMemory(clock);
        for (Tenant t : List.of(a, b)) {
            store.compareAndSet(t.config().credentialKey(t.user().principal()), 0, t.credential());
        }
        Random jitter = new Random(7);
        this.switchboard = Switchboard.builder()
                .discoverConnectors(true)
                .connection(a.config())
                .connection(b.config())
                .tokenStore(store)
                .accessPolicy(AccessPolicy.rowLevel())
                .consentGate(ConsentGate.approveAll())
                .auditSink(audit)
                .meterRegistry(meters)
                .clock(clock)
                .sleeper(clock.sleeper())
                .random(() -> jitter)
                .quarantineStore(QuarantineStore.inMemory())
                .build();
    }

    public Connection connection(String id) {
        return switchboard.connection(id);
    }

    public InMemoryAuditSink audit() {
        return audit;
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    /**
     * Reads every stream the connector declares, to its end. A stream that cannot be read without
     * parameters fails: its exception must be clean too, and the stream is skipped.
     */
    public static List<Record> readEveryStream(Connection connection, AgentContext user) {
        List<Record> all = new ArrayList<>();
        for (StreamDescriptor stream : connection.descriptor().streams()) {
            try (RecordStream s = connection.read(user, ReadRequest.of(stream.name()))) {
                s.forEach(all::add);
            } catch (RuntimeException e) {
                Secrets.assertNoSecretIn(e);
            }
        }
        return all;
    }

    /** How many of {@code records} hold {@code value} in their data: to check a canary is planted. */
    public static long recordsHolding(List<Record> records, String value) {
        return records.stream().filter(r -> r.data().toString().contains(value)).count();
    }

    /**
     * Fails if a canary (or any registered secret) is in {@code records} or {@code outputs} of tenant A, or in
     * any audit event, meter tag or log line so far.
     */
    public void assertTenantSawNoCanary(List<Record> records, Object... outputs) {
        LeakChecks.assertNoSecretInRecords("tenant A's reads", records);
        for (Object output : outputs) {
            Secrets.assertNoSecretIn("tenant A's output", output);
        }
        LeakChecks.assertNoSecretInAudit(audit.events());
        LeakChecks.assertNoSecretInMeters(meters);
        LeakChecks.assertNoSecretInLogs();
    }

    @Override
    public void close() {
        switchboard.close();
    }
}
