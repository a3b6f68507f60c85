package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.Switchboard;
import dev.switchboard.core.spi.SwitchboardFactory;
import dev.switchboard.core.spi.SwitchboardSpec;

/** The runtime integrations-core registers for {@code Switchboard.builder().build()}. */
public final class DefaultSwitchboardFactory implements SwitchboardFactory {
    @Override
    public Switchboard create(SwitchboardSpec spec) {
        return SwitchboardRuntime.create(spec);
    }
}
