/** Schema versions and upgrades of the JDBC stores, from the previous version's tables with data in them. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.storage;
