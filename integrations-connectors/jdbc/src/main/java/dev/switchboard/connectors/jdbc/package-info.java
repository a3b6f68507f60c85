/** The JDBC connector: a company's own SQL database, its tables and declared queries as streams. */
@NullMarked
package dev.switchboard.connectors.jdbc;

import org.jspecify.annotations.NullMarked;
