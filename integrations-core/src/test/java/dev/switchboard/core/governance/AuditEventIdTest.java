package dev.switchboard.core.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditEventIdTest {
    @Test
    void idsAreVersionFourUuidsThatNeverRepeatAcrossThreads() throws InterruptedException {
        int threads = 8;
        int each = 20_000;
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                for (int i = 0; i < each; i++) {
                    ids.add(AuditEvent.builder(Instant.EPOCH, AuditEvent.Kind.READ, AuditEvent.Outcome.SUCCEEDED)
                            .build()
                            .id());
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();

        assertThat(ids).hasSize(threads * each);
        UUID sample = UUID.fromString(ids.iterator().next());
        assertThat(sample.version()).isEqualTo(4);
        assertThat(sample.variant()).isEqualTo(2);
    }
}
