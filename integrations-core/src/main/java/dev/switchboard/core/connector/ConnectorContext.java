package dev.switchboard.core.connector;

import dev.switchboard.core.ConnectionConfig;
import java.time.Clock;

/** What a connector session may use: its connection's settings and the injected clock. */
public interface ConnectorContext {
    ConnectionConfig connection();

    Clock clock();
}
