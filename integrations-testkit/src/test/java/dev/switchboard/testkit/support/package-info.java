/** What the storage tests share: one embedded PostgreSQL, H2 databases, file systems that fill up. */
@org.jspecify.annotations.NullMarked
package dev.switchboard.testkit.support;
