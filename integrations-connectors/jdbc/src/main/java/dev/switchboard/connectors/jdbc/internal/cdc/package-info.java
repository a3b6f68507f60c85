/**
 * PostgreSQL change data capture for the JDBC connector: logical replication through the driver's own
 * replication API with the {@code pgoutput} plugin, decoded here, leased to one instance per slot.
 */
@NullMarked
package dev.switchboard.connectors.jdbc.internal.cdc;

import org.jspecify.annotations.NullMarked;
