/**
 * Schema drift: where records that break their stream's contract are kept aside
 * ({@link dev.switchboard.core.drift.QuarantineStore}) and what is kept of each
 * ({@link dev.switchboard.core.drift.QuarantinedRecord}). The check itself runs in core's read loop
 * under the connection's {@link dev.switchboard.core.DriftPolicy}.
 */
@org.jspecify.annotations.NullMarked
package dev.switchboard.core.drift;
