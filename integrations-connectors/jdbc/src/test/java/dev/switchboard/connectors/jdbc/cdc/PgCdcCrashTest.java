package dev.switchboard.connectors.jdbc.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.connectors.jdbc.cdc.CdcTesting.Db;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower in a child JVM is killed with SIGKILL while rows are committed; a restarted child continues from the
 * position stored in a {@code JdbcPositionStore}: every committed change is delivered at least once, and only a
 * change delivered but not yet stored when the first child died comes again.
 */
class PgCdcCrashTest {
    private static final int ROWS = 300;
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Process child(Db db, Path out, String owner, Path logs) throws IOException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CdcChildMain.class.getName(),
                        db.url(),
                        out.toString(),
                        owner,
                        db.slotPrefix())
                .redirectOutput(logs.resolve(owner + ".out").toFile())
                .redirectError(logs.resolve(owner + ".err").toFile())
                .start();
        children.add(p);
        return p;
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static void await(String what, long timeoutMillis, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    @Test
    void aKilledFollowerIsContinuedByANewOneWithNothingLostAndOnlyTheUnstoredChangeRepeated() throws Exception {
        Db db = Db.fresh();
        db.sql("CREATE TABLE rows (id INT PRIMARY KEY, v INT)");
        Path logs = Files.createDirectories(Path.of("target", "pg-cdc-crash"));
        Path out = logs.resolve("delivered-" + db.name() + ".txt");
        Files.deleteIfExists(out);

        Process first = child(db, out, "first", logs);
        await(
                "the first child's READY",
                60_000,
                () -> lines(logs.resolve("first.out")).contains("READY"));

        AtomicInteger committed = new AtomicInteger();
        Thread writer = new Thread(() -> {
            for (int i = 1; i <= ROWS; i++) {
                db.sql("INSERT INTO rows VALUES (" + i + ", 0)");
                committed.set(i);
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        await("100 deliveries", 60_000, () -> lines(out).size() >= 100);
        first.destroyForcibly(); // SIGKILL, mid-stream, while rows are committed
        first.waitFor(10, TimeUnit.SECONDS);
        List<String> beforeKill = lines(out);
        int committedAtKill = committed.get();
        System.out.printf(
                "killed the first child after %d deliveries, %d rows committed%n", beforeKill.size(), committedAtKill);

        child(db, out, "second", logs);
        writer.join(60_000);
        await("every committed row delivered", 60_000, () -> {
            Set<String> ids = new LinkedHashSet<>();
            for (String line : lines(out)) {
                ids.add(line.split(" ")[2]);
            }
            return ids.size() >= ROWS;
        });

        List<String> all = lines(out);
        Map<String, Integer> seen = new HashMap<>();
        for (String line : all) {
            seen.merge(line.split(" ")[2], 1, Integer::sum);
        }
        for (int i = 1; i <= ROWS; i++) {
            assertThat(seen).as("row %d delivered", i).containsKey(String.valueOf(i));
        }
        List<String> repeated = seen.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
        System.out.printf("%d deliveries for %d rows; repeated: %s%n", all.size(), ROWS, repeated);
        // Each event is written, then its position stored: only the one in between can repeat, and only the last
        // one the first child wrote.
        assertThat(repeated).hasSizeLessThanOrEqualTo(1);
        if (!repeated.isEmpty()) {
            assertThat(beforeKill.get(beforeKill.size() - 1).split(" ")[2]).isEqualTo(repeated.get(0));
        }
        assertThat(beforeKill).allMatch(l -> l.startsWith("first "));
        assertThat(all.subList(beforeKill.size(), all.size())).allMatch(l -> l.startsWith("second "));
        // In commit order: the ids each child delivered increase.
        List<Integer> secondIds = all.subList(beforeKill.size(), all.size()).stream()
                .map(l -> Integer.parseInt(l.split(" ")[2]))
                .toList();
        assertThat(secondIds).isSorted();
    }
}
