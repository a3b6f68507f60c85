/**
 * What every store that keeps state builds on: {@link dev.switchboard.core.storage.JdbcSchema} gives JDBC tables
 * a schema version and upgrades them on start, {@link dev.switchboard.core.storage.Jdbc} runs statements and
 * transactions with the settings they rely on, and {@link dev.switchboard.core.storage.AtomicFiles} replaces a
 * file's content atomically on any {@link java.nio.file.FileSystem}. docs/storage.md lists every table and file
 * the project writes.
 */
@NullMarked
package dev.switchboard.core.storage;

import org.jspecify.annotations.NullMarked;
