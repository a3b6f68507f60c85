/** Discovery, reads, actions, row-level security and change data capture of the JDBC connector. */
@NullMarked
package dev.switchboard.connectors.jdbc.internal;

import org.jspecify.annotations.NullMarked;
