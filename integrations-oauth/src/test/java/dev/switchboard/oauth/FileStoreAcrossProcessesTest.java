package dev.switchboard.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.auth.Credential;
import dev.switchboard.oauth.store.EncryptedFileTokenStore;
import dev.switchboard.oauth.support.InstanceMain;
import dev.switchboard.oauth.support.RotatingTokenEndpoint;
import dev.switchboard.oauth.support.TestKeys;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes share one encrypted token file and both rotate the grant in it, against a provider that rotates
 * refresh tokens and revokes a grant whose spent refresh token comes back: every rotation is stored once, by one of
 * them, on top of the other's (the file is locked around each read-modify-write, and its leases are shared), and no
 * refresh token is ever sent twice.
 */
class FileStoreAcrossProcessesTest {
    private static final int ROUNDS = 15;

    @TempDir
    Path dir;

    @Test
    void twoProcessesRotatingOneGrantInOneFileLoseNoRotation() throws Exception {
        Path file = dir.resolve("tokens.bin");
        try (RotatingTokenEndpoint endpoint = new RotatingTokenEndpoint()) {
            endpoint.grant("rt-first");
            EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC())
                    .compareAndSet(
                            "crm",
                            0,
                            Credential.builder("at-first")
                                    .refreshToken("rt-first")
                                    .expiresAt(Instant.now().plusSeconds(3600))
                                    .build());
            List<Process> processes = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    processes.add(new ProcessBuilder(
                                    MultiInstanceTest.javaBin(),
                                    "-Xmx128m",
                                    "-XX:TieredStopAtLevel=1",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    InstanceMain.class.getName(),
                                    "rotate",
                                    file.toString(),
                                    endpoint.baseUrl(),
                                    String.valueOf(ROUNDS))
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start());
                }
                List<BufferedReader> outputs = new ArrayList<>();
                for (Process p : processes) {
                    BufferedReader out =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    assertThat(MultiInstanceTest.readUntil(out, "READY")).contains("READY");
                    outputs.add(out);
                }
                for (Process p : processes) {
                    Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
                    w.write("GO\n");
                    w.flush();
                }
                List<Long> stored = new ArrayList<>();
                for (BufferedReader out : outputs) {
                    List<String> lines = MultiInstanceTest.readUntil(out, "DONE");
                    assertThat(lines).contains("DONE");
                    lines.stream()
                            .filter(l -> l.startsWith("STORED "))
                            .forEach(l -> stored.add(Long.parseLong(l.substring(7))));
                }
                for (Process p : processes) {
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(p.exitValue()).isZero();
                }

                assertThat(endpoint.reused()).isEmpty();
                assertThat(stored).doesNotHaveDuplicates(); // nobody stored over another's version
                Credential last = EncryptedFileTokenStore.open(file, TestKeys.beside(file), Clock.systemUTC())
                        .load("crm")
                        .orElseThrow();
                // Every refresh the provider answered was stored, one version each, on top of the one before.
                assertThat(stored).hasSize(endpoint.requests());
                assertThat(last.version()).isEqualTo(1L + endpoint.requests());
                assertThat(stored)
                        .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(2, last.version())
                                .boxed()
                                .toList());
                assertThat(endpoint.isCurrent(last.refreshToken().orElseThrow()))
                        .isTrue();
            } finally {
                processes.forEach(Process::destroyForcibly);
            }
        }
    }
}
