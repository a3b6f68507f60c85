package dev.switchboard.examples;

import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.ConsentRequest;
import dev.switchboard.core.json.JsonObject;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@link PipelineDemo} observed, for tests and for the closing tables.
 *
 * @param delivered ids the first read returned, in order
 * @param withheld ids the access policy withheld, over both reads
 * @param checkpoint the checkpoint after the first read
 * @param resumed ids the read resumed from that checkpoint returned
 * @param afterExpiry ids the read after the agent's pause returned (the token was refreshed before it)
 * @param expiryExchanges what the vendor answered during that read, in order
 * @param credentialVersion the version of the stored credential at the end
 * @param invalidInputStep the next step the error for the invalid action input named
 * @param consented what the consent gate was asked, in order
 * @param actionOutput what the action returned
 * @param audit the audit events, in order
 * @param vendorStatuses per endpoint of the fake vendor, the status of each answer, oldest first
 * @param meters the meter registry the Switchboard recorded into
 * @param bundled what the bundled connectors read from their fakes, and the fakes themselves
 * @param unified what the unified-model step seeded, linked and found for the customer
 * @param drift what the schema-drift step delivered and quarantined
 * @param support what the support-database step read, the cache's figures and the change it heard
 * @param governance what the governance step saw: two users' answers, the audit log verified and its edited copy caught
 */
record DemoSummary(
        List<String> delivered,
        List<String> withheld,
        Checkpoint checkpoint,
        List<String> resumed,
        List<String> afterExpiry,
        List<HelpdeskFake.Exchange> expiryExchanges,
        long credentialVersion,
        NextStep invalidInputStep,
        List<ConsentRequest> consented,
        String consentRequestId,
        List<ChangeEvent> memoryHeard,
        JsonObject actionOutput,
        List<AuditEvent> audit,
        Map<String, List<Integer>> vendorStatuses,
        MeterRegistry meters,
        BundledConnectorsDemo.BundledReads bundled,
        UnifiedModelDemo.UnifiedRead unified,
        SchemaDriftDemo.DriftRead drift,
        SupportDatabaseDemo.SupportRead support,
        GovernanceDemo.GovernanceRun governance) {

    /**
     * How many times the meters of this name with these tags ({@code key, value, ...}) counted: a
     * counter's count or a timer's number of recordings, summed over every meter that matches.
     */
    double count(String name, String... tags) {
        return count(meters, name, tags);
    }

    /** As {@link #count(String, String...)}, over any registry. */
    static double count(MeterRegistry meters, String name, String... tags) {
        double total = 0;
        for (Meter meter : meters.find(name).tags(tags).meters()) {
            if (meter instanceof Counter c) {
                total += c.count();
            } else if (meter instanceof Timer t) {
                total += t.count();
            }
        }
        return total;
    }
}
