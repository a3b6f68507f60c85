package dev.switchboard.normalize;

/**
 * Maps one connector's records into the unified model. Connector modules provide theirs and list
 * them in {@code META-INF/services/dev.switchboard.normalize.EntityMapper}; the {@link Normalizer}
 * finds them with {@link java.util.ServiceLoader}. Implementations are stateless and thread-safe.
 */
public interface EntityMapper {
    /** The connector whose records this maps, e.g. {@code salesforce}. */
    String connector();

    /** Whether this maps records of {@code stream}. */
    boolean maps(String stream);

    /**
     * Starts the entity for one record of a stream this {@link #maps}. Reads values through
     * {@code in}, which notes values it cannot read instead of throwing; the normalizer then applies
     * the connection's field mappings and builds. Must not throw for any record data.
     */
    Entity.Builder map(SourceFields in);
}
