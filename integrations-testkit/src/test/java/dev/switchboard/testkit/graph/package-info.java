/** The graph store contract run against each store. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.graph;
