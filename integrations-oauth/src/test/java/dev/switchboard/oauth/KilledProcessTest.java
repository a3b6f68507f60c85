package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.TokenStore;
import dev.switchboard.oauth.store.EncryptedFileTokenStore;
import dev.switchboard.oauth.support.InstanceMain;
import dev.switchboard.oauth.support.TestKeys;
import dev.switchboard.oauth.support.TokenEndpointStub;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that refreshes in a loop is killed with destroyForcibly at varying points, again and
 * again: the encrypted token file is never empty or corrupt, versions only go forward, and the next
 * start refreshes.
 */
class KilledProcessTest {
    @TempDir
    Path dir;

    @Test
    void theStoreSurvivesAProcessKilledMidRefreshAndTheNextStartRefreshes() throws Exception {
        Path file = dir.resolve("tokens.bin");
        EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC())
                .compareAndSet(
                        "crm",
                        0,
                        Credential.builder("a0")
                                .refreshToken("r0")
                                .expiresAt(Instant.now().plusSeconds(3600))
                                .build());
        SplittableRandom random = new SplittableRandom(42);
        long lastVersion = 1;
        try (TokenEndpointStub endpoint = new TokenEndpointStub()) {
            endpoint.answer(TokenEndpointStub.newTokens("a-next", "r-next"));
            for (int run = 0; run < 4; run++) {
                Process p = new ProcessBuilder(
                                MultiInstanceTest.javaBin(),
                                "-Xmx128m",
                                "-XX:TieredStopAtLevel=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                InstanceMain.class.getName(),
                                "loop",
                                file.toString(),
                                endpoint.server.baseUrl())
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                try {
                    BufferedReader out =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    int killAfter = 5 + random.nextInt(40);
                    int stored = 0;
                    String line;
                    while (stored < killAfter && (line = out.readLine()) != null) {
                        stored += line.startsWith("STORED ") ? 1 : 0; // other lines are the child's log
                    }
                    assertThat(stored).isEqualTo(killAfter);
                } finally {
                    p.destroyForcibly(); // somewhere in a refresh or a write: the process cannot tell
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                TokenStore reopened = EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC());
                Credential c = reopened.load("crm").orElseThrow();
                assertThat(c.version()).isGreaterThan(lastVersion);
                assertThat(c.refreshToken()).isPresent();
                lastVersion = c.version();
            }
            TokenStore store = EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC());
            TokenManager tokens = TokenManager.builder(endpoint.client(), store).build();
            Credential next = tokens.refreshAfterRejection("crm", lastVersion);
            assertThat(next.version()).isEqualTo(lastVersion + 1);
            assertThat(EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC())
                            .load("crm"))
                    .contains(next);
        }
    }
}
