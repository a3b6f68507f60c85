/**
 * One entity model for every source. {@link dev.switchboard.normalize.Normalizer} turns each
 * {@link dev.switchboard.core.model.Record} into an {@link dev.switchboard.normalize.Entity}
 * ({@link dev.switchboard.normalize.Person}, {@link dev.switchboard.normalize.Organization},
 * {@link dev.switchboard.normalize.Ticket}, {@link dev.switchboard.normalize.Deal},
 * {@link dev.switchboard.normalize.Message}, {@link dev.switchboard.normalize.Activity}, or a
 * {@link dev.switchboard.normalize.GenericEntity} for anything unmapped) whose every value carries
 * its {@link dev.switchboard.normalize.Provenance}. Mappers for a connector implement
 * {@link dev.switchboard.normalize.EntityMapper} and live in the connector's module.
 */
@NullMarked
package dev.switchboard.normalize;

import org.jspecify.annotations.NullMarked;
