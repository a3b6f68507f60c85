/**
 * The connector contract harness: {@link dev.switchboard.testkit.contract.ContractCheck} reads a
 * connection's streams, compares what it reads and what the source's metadata describes with each
 * stream's pinned contract, and returns a {@link dev.switchboard.testkit.contract.ContractReport}
 * of every difference, additive or breaking. Run it in tests against recorded answers
 * ({@link dev.switchboard.testkit.fake.RecordedVendor}) or the fakes, or on a schedule against a
 * live account.
 */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.contract;
