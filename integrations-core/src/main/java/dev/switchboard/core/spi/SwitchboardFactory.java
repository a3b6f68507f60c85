package dev.switchboard.core.spi;

import dev.switchboard.core.Switchboard;
import java.util.ServiceLoader;

/**
 * Creates the runtime behind {@code Switchboard.builder().build()}. integrations-core registers its own
 * (in {@code META-INF/services}); the builder finds it with {@link ServiceLoader}, which keeps the API
 * packages free of the implementation's classes. Applications never call this.
 */
public interface SwitchboardFactory {
    /** Validates the specification, opens a session per connection, and sends no request. */
    Switchboard create(SwitchboardSpec spec);

    /** The factory on the class path. */
    static SwitchboardFactory load() {
        return Holder.FACTORY;
    }

    /** Looks the factory up once. */
    final class Holder {
        static final SwitchboardFactory FACTORY = ServiceLoader.load(
                        SwitchboardFactory.class, Switchboard.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no SwitchboardFactory on the class path: the"
                        + " integrations-core jar is incomplete (META-INF/services was lost, as shading without"
                        + " merging service files does)"));

        private Holder() {}
    }
}
