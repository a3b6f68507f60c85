package dev.switchboard.testkit.keys;

import dev.switchboard.core.keys.DataKeyStore;
import dev.switchboard.testkit.DataKeyStoreContract;

class InMemoryDataKeyStoreTest extends DataKeyStoreContract {
    @Override
    protected DataKeyStore createStore() {
        return DataKeyStore.inMemory();
    }
}
