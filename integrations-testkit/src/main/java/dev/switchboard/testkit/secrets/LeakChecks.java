package dev.switchboard.testkit.secrets;

import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.model.Record;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.NullMarked;

/**
 * Assertions that no registered secret or canary reached what one tenant's run produced: its records, the
 * audit trail, the meters' tags, the log lines so far. For canary tests: plant {@link Secrets#canary()} in
 * tenant B's data, run tenant A, check A's outputs with these. Failures name the place and the secret's
 * kind and digest, never the value.
 */
@NullMarked
public final class LeakChecks {
    private LeakChecks() {}

    /** Each record's stream, id, version, ACL and every field of its data. */
    public static void assertNoSecretInRecords(String where, Iterable<Record> records) {
        List<Finding> found = new ArrayList<>();
        for (Record r : records) {
            String rendered = r.stream() + "/" + r.id() + "@" + r.version() + " acl=" + r.acl() + " data=" + r.data();
            found.addAll(SecretRegistry.global().scan(where + " record " + r.stream() + "/" + r.id(), rendered));
        }
        fail(found);
    }

    /** Every field of every audit event. */
    public static void assertNoSecretInAudit(List<AuditEvent> events) {
        List<Finding> found = new ArrayList<>();
        for (AuditEvent e : events) {
            // A record's toString renders every component.
            found.addAll(SecretRegistry.global().scan("audit event " + e.kind() + " " + e.operation(), e.toString()));
        }
        fail(found);
    }

    /** Every meter's name, tag keys and tag values. */
    public static void assertNoSecretInMeters(MeterRegistry meters) {
        List<Finding> found = new ArrayList<>();
        for (Meter m : meters.getMeters()) {
            StringBuilder rendered = new StringBuilder(m.getId().getName());
            for (Tag t : m.getId().getTags()) {
                rendered.append(' ').append(t.getKey()).append('=').append(t.getValue());
            }
            found.addAll(SecretRegistry.global().scan("meter " + m.getId().getName(), rendered.toString()));
        }
        fail(found);
    }

    /** Every log line the JVM's capture has seen so far (needs the appender in logback-test.xml). */
    public static void assertNoSecretInLogs() {
        if (!LogCapture.global().installed()) {
            throw new AssertionError("no SecretCaptureAppender in logback-test.xml: log lines are not captured");
        }
        fail(LogCapture.global().check());
    }

    private static void fail(List<Finding> found) {
        if (!found.isEmpty()) {
            throw new AssertionError(Secrets.report(found));
        }
    }
}
