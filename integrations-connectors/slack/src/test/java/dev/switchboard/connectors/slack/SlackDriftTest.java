package dev.switchboard.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.DriftPolicy;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.testkit.FakeConnection;
import dev.switchboard.testkit.fake.FakeSlack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Slack has no metadata to describe; its records still pass core's per-record drift check. */
class SlackDriftTest {
    @RegisterExtension
    static final FakeSlack SLACK = new FakeSlack();

    @Test
    void everyStreamReadsFromTheFakeWithoutDrift() {
        try (FakeConnection slack = FakeConnection.to(SLACK, SlackConnector.ID)
                .connectionId("slack-acme")
                .setting(SlackSettings.TEAM_ID, FakeSlack.TEAM_ID)
                .driftPolicy(DriftPolicy.FAIL)
                .build()) {
            for (var stream : slack.connection().descriptor().streams()) {
                assertThat(slack.connection().describe(slack.context(), stream.name()))
                        .as(stream.name())
                        .isEmpty();
                assertThat(slack.readAll(ReadRequest.of(stream.name())))
                        .as(stream.name())
                        .isNotEmpty();
            }
            assertThat(slack.meters().find("switchboard.drift").counters())
                    .extracting(c -> c.getId().getTag("stream") + "."
                            + c.getId().getTag("field") + " " + c.getId().getTag("kind"))
                    .isEmpty();
            assertThat(slack.audit().events()).noneMatch(e -> e.kind() == AuditEvent.Kind.DRIFT);
        }
    }
}
