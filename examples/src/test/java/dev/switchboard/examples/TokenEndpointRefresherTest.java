package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.error.NextStep;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.time.ManualClock;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenEndpointRefresherTest {
  private static final ManualClock clock = ManualClock.at(Instant.parse("2025-03-03T12:00:00Z"));
  private static HelpdeskFake vendor;
  private static TokenEndpointRefresher refresher;

  @BeforeAll
  static void start() {
    vendor = HelpdeskFake.start(line -> {});
    refresher = new TokenEndpointRefresher("helpdesk", URI.create(vendor.tokenUrl()), HelpdeskFake.CLIENT_ID, clock);
  }

  @AfterAll
  static void stop() {
    vendor.close();
  }

  @Test
  void exchangesTheRefreshTokenAndKeepsTheRotatedOneAndTheAttributes() {
    Credential current = Credential.builder(HelpdeskFake.REVOKED_TOKEN).refreshToken(HelpdeskFake.REFRESH_TOKEN)
        .attributes(Map.of("account", "acme")).version(4).build();

    Credential next = refresher.refresh("helpdesk-acme", current);

    assertThat(next.accessToken()).isEqualTo(HelpdeskFake.FRESH_TOKEN);
    assertThat(next.refreshToken()).contains(HelpdeskFake.ROTATED_REFRESH_TOKEN);
    assertThat(next.expiresAt()).contains(clock.instant().plusSeconds(3600));
    assertThat(next.attributes()).containsEntry("account", "acme");
  }

  @Test
  void aRefusedGrantMeansReauthorizeWithoutQuotingTheToken() {
    Credential current = Credential.builder(HelpdeskFake.REVOKED_TOKEN).refreshToken("hd-rt-0-long-revoked").build();

    ReauthorizationRequiredException e = catchThrowableOfType(ReauthorizationRequiredException.class,
        () -> refresher.refresh("helpdesk-acme", current));

    assertThat(e.nextStep()).isEqualTo(NextStep.REAUTHORIZE);
    assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("hd-rt-0-long-revoked");
  }

  @Test
  void withoutARefreshTokenOnlyTheUserCanHelp() {
    Credential current = Credential.builder(HelpdeskFake.REVOKED_TOKEN).build();

    assertThat(catchThrowableOfType(ReauthorizationRequiredException.class,
        () -> refresher.refresh("helpdesk-acme", current)).nextStep()).isEqualTo(NextStep.REAUTHORIZE);
  }
}
