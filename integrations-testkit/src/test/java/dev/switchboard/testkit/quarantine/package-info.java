/** The quarantine store contract run against each store, and quarantine across a restart end to end. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.quarantine;
