package dev.switchboard.core.architecture.probe.internal;

/** An implementation class, for the architecture rules' probe. */
public final class ProbeImpl {
    public int answer() {
        return 42;
    }
}
