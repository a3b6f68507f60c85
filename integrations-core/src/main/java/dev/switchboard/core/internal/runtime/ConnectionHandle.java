package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.ActionResult;
import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Connection;
import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.connector.ActionPreview;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.json.JsonObject;
import dev.switchboard.core.model.Schema;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code Switchboard.connection(id)} returns: every call resolves the connection as configured now
 * and runs on that runtime to its end (a read until its stream is closed), so an update or removal at
 * runtime never changes a call under way.
 */
final class ConnectionHandle implements Connection {
    private final SwitchboardRuntime switchboard;
    private final String id;

    ConnectionHandle(SwitchboardRuntime switchboard, String id) {
        this.switchboard = switchboard;
        this.id = id;
    }

    /** The current runtime, for calls that start no work at the source. */
    private ConnectionRuntime current() {
        ConnectionRuntime runtime = switchboard.current(id);
        if (runtime == null) {
            throw switchboard.unknown(id);
        }
        return runtime;
    }

    /** Runs a call on the current runtime, which stays open until the call ends. */
    private <T> T call(Function<ConnectionRuntime, T> work) {
        while (true) {
            ConnectionRuntime runtime = current();
            if (!runtime.enter()) {
                continue; // replaced between lookup and entry: resolve again
            }
            try {
                return work.apply(runtime);
            } finally {
                runtime.exit();
            }
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectionConfig config() {
        return current().config();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return current().descriptor();
    }

    @Override
    public dev.switchboard.core.DriftPolicy driftPolicy() {
        return current().driftPolicy();
    }

    @Override
    public Schema contract(String stream) {
        return current().contract(stream);
    }

    @Override
    public Optional<Schema> describe(AgentContext context, String stream) {
        return call(r -> r.describe(context, stream));
    }

    @Override
    public RecordStream read(AgentContext context, ReadRequest request) {
        while (true) {
            ConnectionRuntime runtime = current();
            if (!runtime.enter()) {
                continue;
            }
            try {
                // The stream holds the runtime until it is closed (it calls exit() then).
                return runtime.read(context, request, false, null);
            } catch (RuntimeException | Error e) {
                runtime.exit();
                throw e;
            }
        }
    }

    @Override
    public ActionResult execute(AgentContext context, String action, JsonObject input) {
        return call(r -> r.execute(context, action, input));
    }

    @Override
    public ActionPreview preview(AgentContext context, String action, JsonObject input) {
        return call(r -> r.preview(context, action, input));
    }

    @Override
    public String toString() {
        return "Connection[" + id + "]";
    }
}
