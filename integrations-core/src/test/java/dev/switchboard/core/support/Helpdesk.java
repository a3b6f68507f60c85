package dev.switchboard.core.support;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.http.HttpSettings;
import dev.switchboard.core.time.ManualClock;
import java.time.Duration;
import java.util.Random;

/**
 * The Switchboard of an application that reads the help desk ({@link HelpdeskFake}) through
 * {@link HelpdeskConnector}, on connection {@value #CONNECTION} with a shared token, in virtual time.
 */
public final class Helpdesk {
    public static final String CONNECTION = "helpdesk-acme";

    private Helpdesk() {}

    /** The connection to {@code baseUrl}: two attempts per request, short backoff. */
    public static ConnectionConfig connection(String baseUrl) {
        return connection(CONNECTION, baseUrl);
    }

    /** A connection {@code id} to {@code baseUrl}, configured like {@link #connection(String)}. */
    public static ConnectionConfig connection(String id, String baseUrl) {
        return ConnectionConfig.builder(id)
                .connector(HelpdeskConnector.ID)
                .baseUrl(baseUrl)
                .http(HttpSettings.custom()
                        .maxAttempts(2)
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                        .build())
                .build();
    }

    /** A token store holding the connection's shared token. */
    public static TokenStore tokens(ManualClock clock) {
        TokenStore store = TokenStore.inMemory(clock);
        store.compareAndSet(CONNECTION, 0, Credential.builder("access-1").build());
        return store;
    }

    /** A builder with the connection, the store, and the clock with its sleeper; add policy and the rest. */
    public static Switchboard.Builder switchboard(String baseUrl, TokenStore store, ManualClock clock) {
        Random jitter = new Random(7); // seeded, and thread-safe as the builder asks
        return Switchboard.builder()
                .connection(connection(baseUrl))
                .tokenStore(store)
                .clock(clock)
                .sleeper(clock.sleeper())
                .random(() -> jitter);
    }

    /** An event as "op stream/id" with its origin, for comparing sequences: {@code "POLL UPSERT t1"}. */
    public static String describe(ChangeEvent e) {
        return e.origin() + " " + e.op() + " " + e.recordId();
    }
}
