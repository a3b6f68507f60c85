/** The consent ledger contract run against each ledger. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.consent;
