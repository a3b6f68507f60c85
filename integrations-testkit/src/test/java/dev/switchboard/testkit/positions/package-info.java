/** The position store contract run against each store. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.positions;
