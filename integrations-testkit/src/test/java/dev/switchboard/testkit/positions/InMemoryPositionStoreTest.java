package dev.switchboard.testkit.positions;

import dev.switchboard.core.change.PositionStore;
import dev.switchboard.testkit.PositionStoreContract;

class InMemoryPositionStoreTest extends PositionStoreContract {
    @Override
    protected PositionStore createStore() {
        return PositionStore.inMemory();
    }
}
