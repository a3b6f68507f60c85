/** Rate budgets shared by several instances through PostgreSQL. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.budgets;
