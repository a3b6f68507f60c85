package dev.switchboard.testkit.quarantine;

import dev.switchboard.core.drift.QuarantineStore;
import dev.switchboard.testkit.QuarantineStoreContract;

class InMemoryQuarantineStoreTest extends QuarantineStoreContract {
    @Override
    protected QuarantineStore createStore() {
        return QuarantineStore.inMemory();
    }
}
