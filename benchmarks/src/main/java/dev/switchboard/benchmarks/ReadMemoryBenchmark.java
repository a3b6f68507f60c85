package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.replay.HubSpotReplay;
import dev.switchboard.benchmarks.replay.RawKeyPagingClient;
import dev.switchboard.benchmarks.replay.ReadDigest;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.RecordStream;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.model.Record;
import java.util.Locale;

/**
 * One side of {@link ReadMemoryRounds}, in the JVM it forks with a small heap: one read of every contact of a
 * {@link dev.switchboard.benchmarks.replay.GeneratedHubSpotServer}, 100 a page, either through Switchboard
 * (a new instance, the whole read path, as {@link ReadOverheadBenchmark} reads) or with
 * {@link RawKeyPagingClient} (the floor), sampling the heap after GC before the read and at every tenth of its
 * records ({@link HeapSampler}).
 *
 * <p>{@code java ... ReadMemoryBenchmark <switchboard|raw> <records> <base url>}; prints {@code heap <records>
 * <bytes>} per sample, then {@code read <records with an email> nanos <read time> sampling <time in samples>
 * ids <digest>}. Fails unless every record was read once and had an email.
 */
public final class ReadMemoryBenchmark {
    static final int PAGE = 100;
    static final int STEPS = 10;

    private ReadMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        String side = args[0];
        long total = Long.parseLong(args[1]);
        String url = args[2];
        HeapSampler heap = new HeapSampler(total, STEPS);
        ReadDigest ids = new ReadDigest();
        long emails;
        long started;
        long nanos;
        switch (side) {
            case "switchboard" -> {
                try (Switchboard switchboard = HubSpotReplay.switchboard(url, null)) {
                    heap.start();
                    started = System.nanoTime();
                    emails = 0;
                    try (RecordStream records = switchboard
                            .connection(HubSpotReplay.CONNECTION)
                            .read(
                                    HubSpotReplay.CONTEXT,
                                    ReadRequest.of("contacts").pageSize(PAGE))) {
                        for (Record r : records) {
                            ids.add(r.id());
                            if (r.data().string("email") != null) {
                                emails++;
                            }
                            heap.at(ids.count());
                        }
                    }
                    nanos = System.nanoTime() - started;
                }
            }
            case "raw" -> {
                try (RawKeyPagingClient raw = new RawKeyPagingClient(url)) {
                    heap.start();
                    started = System.nanoTime();
                    emails = raw.read(PAGE, HubSpotReplay.NOW, ids, heap::at);
                    nanos = System.nanoTime() - started;
                }
            }
            default -> throw new IllegalArgumentException("side is switchboard or raw, not " + side);
        }
        for (HeapSampler.Sample s : heap.samples()) {
            System.out.println("heap " + s.records() + " " + s.bytes());
        }
        if (emails != total || ids.count() != total) {
            throw new IllegalStateException(
                    side + " read " + ids.count() + " records, " + emails + " with an email; expected " + total);
        }
        System.out.printf(Locale.ROOT, "read %d nanos %d sampling %d ids %s%n", emails, nanos, heap.nanos(), ids);
    }
}
