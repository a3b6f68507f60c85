package dev.switchboard.core;

/**
 * What a read does with a record that breaks its stream's pinned contract. Additive drift (a field
 * the contract does not know) is reported under every policy. Whatever the policy, a record whose
 * primary key or cursor field breaks the contract stops the read: it could not be resumed without
 * skipping or repeating records. Every drift is counted, logged and audited under every policy.
 */
public enum DriftPolicy {
    /** Deliver the record as read, and report the drift. Values are never coerced to the contract. */
    REPORT,
    /**
     * Keep the record aside in the quarantine store with its drifts, do not deliver it, and go on;
     * the checkpoint moves past it, so it is not read again. The default.
     */
    QUARANTINE,
    /** Stop the read with a {@link dev.switchboard.core.error.SchemaDriftException} before the record. */
    FAIL
}
