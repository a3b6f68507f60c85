package dev.switchboard.core.architecture.probe;

import dev.switchboard.core.architecture.probe.internal.ProbeImpl;

/** A probe violation: an API class that uses an implementation class, which the architecture rules must catch. */
public final class ProbeApi {
    public int answer() {
        return new ProbeImpl().answer();
    }
}
