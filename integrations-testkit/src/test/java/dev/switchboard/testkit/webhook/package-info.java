/** The replay guard contract run against each guard. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.webhook;
