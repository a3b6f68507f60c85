/** The audit log contract run against each log. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.audit;
