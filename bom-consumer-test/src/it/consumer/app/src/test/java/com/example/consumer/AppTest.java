package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.fake.FakeHubSpot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Uses the testkit (test scope) as a user's tests would; compiled by the consumer, not run. */
class AppTest {

    @RegisterExtension
    static final FakeHubSpot HUBSPOT = new FakeHubSpot();

    @Test
    void readsFromTheFake() {
        assertThat(HUBSPOT.baseUrl()).startsWith("http://");
    }
}
