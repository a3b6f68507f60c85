package dev.switchboard.testkit.consent;

import dev.switchboard.core.governance.ConsentLedger;
import dev.switchboard.testkit.ConsentLedgerContract;

class InMemoryConsentLedgerTest extends ConsentLedgerContract {
    @Override
    protected ConsentLedger createLedger() {
        return ConsentLedger.inMemory();
    }
}
