package dev.switchboard.testkit;

import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.core.time.ManualClock;

class InMemoryTokenStoreTest extends TokenStoreContract {
    @Override
    protected TokenStore createStore(ManualClock clock) {
        return TokenStore.inMemory(clock);
    }
}
