/**
 * The tamper-evident audit trail: an {@link dev.switchboard.core.audit.AuditChain} is an
 * {@link dev.switchboard.core.governance.AuditSink} that appends every event to a hash chain in an
 * {@link dev.switchboard.core.audit.AuditLog} (a JSON-lines directory, or a JDBC table), authenticates each entry
 * with an HMAC under a key held outside the log ({@link dev.switchboard.core.audit.AuditMacKeys}), and signs the
 * chain's head at intervals with Ed25519 ({@link dev.switchboard.core.audit.AuditCheckpoint}), exporting each
 * checkpoint somewhere the writer cannot change ({@link dev.switchboard.core.audit.CheckpointExporter}). An
 * {@link dev.switchboard.core.audit.AuditVerifier} checks the chains of every writer together and names the first
 * entry where each breaks. docs/governance.md describes the entry format and the verifier's rules.
 *
 * <p>This is a package of its own, not part of {@code governance}: governance decides (policy, consent) and says
 * what an {@code AuditEvent} is; this package stores events and proves they were not changed, with its own keys,
 * stores and verifier. It depends on governance, never the other way round. Its implementation classes are
 * package-private here (as in {@code keys}), since API packages import nothing from {@code internal}.
 */
@NullMarked
package dev.switchboard.core.audit;

import org.jspecify.annotations.NullMarked;
