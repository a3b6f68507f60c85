package dev.switchboard.core.architecture.probe;

import dev.switchboard.core.architecture.probe.internal.ProbeImpl;

/** A probe violation: an API method whose signature exposes an implementation type. */
public interface ProbeLeak {
    ProbeImpl implementation();
}
