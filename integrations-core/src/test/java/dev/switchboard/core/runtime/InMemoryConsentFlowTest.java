package dev.switchboard.core.runtime;

import dev.switchboard.core.governance.ConsentLedger;

/** The consent flow over {@link ConsentLedger#inMemory()}. */
class InMemoryConsentFlowTest extends ConsentFlowContract {
    @Override
    protected ConsentLedger newLedger() {
        return ConsentLedger.inMemory();
    }
}
