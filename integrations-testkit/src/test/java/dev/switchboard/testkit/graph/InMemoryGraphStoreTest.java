package dev.switchboard.testkit.graph;

import dev.switchboard.normalize.GraphStore;
import dev.switchboard.testkit.GraphStoreContract;

class InMemoryGraphStoreTest extends GraphStoreContract {
    @Override
    protected GraphStore createStore() {
        return GraphStore.inMemory();
    }
}
