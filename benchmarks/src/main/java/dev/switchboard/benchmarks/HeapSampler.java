package dev.switchboard.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap in use after a full GC at fixed points of a read: before it starts, then at every tenth of its
 * records. A sample is taken on the reading thread while the read is open, so it holds what the read keeps
 * alive then; the time spent sampling is kept apart, so a throughput can leave it out. Not thread-safe.
 */
final class HeapSampler {
    /** One sample: records read so far, heap used after GC in bytes. */
    record Sample(long records, long bytes) {}

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final long total;
    private final int steps;
    private final List<Sample> samples = new ArrayList<>();
    private int next = 1;
    private long nanos;

    /** Samples at every {@code 1/steps} of {@code total} records. */
    HeapSampler(long total, int steps) {
        this.total = total;
        this.steps = steps;
    }

    /** Takes the first sample, at 0 records. */
    void start() {
        sample(0);
    }

    /** Called after each record with the count so far: samples when it reaches the next tenth. */
    void at(long records) {
        if (next <= steps && records == total * next / steps) {
            next++;
            sample(records);
        }
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Nanoseconds spent sampling (the full GCs). */
    long nanos() {
        return nanos;
    }

    private void sample(long records) {
        long t = System.nanoTime();
        samples.add(new Sample(records, usedAfterGc()));
        nanos += System.nanoTime() - t;
    }

    /**
     * The heap in use after full collections: {@code System.gc()} until a collection was seen to run (the GC
     * beans' counts move; explicit GC disabled fails) and twice, so that what the first one made unreachable
     * (references cleared, finalizable objects) is gone too; the smaller reading.
     */
    static long usedAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            long before = collections();
            System.gc();
            if (collections() == before) {
                throw new IllegalStateException("System.gc() ran no collection: is explicit GC disabled?");
            }
            best = Math.min(best, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    /** The least-squares slope of bytes over records of {@code samples}: the heap a record adds. */
    static double slope(List<Sample> samples) {
        double n = samples.size();
        double sx = 0;
        double sy = 0;
        for (Sample s : samples) {
            sx += s.records();
            sy += s.bytes();
        }
        double mx = sx / n;
        double my = sy / n;
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            num += (s.records() - mx) * (s.bytes() - my);
            den += (s.records() - mx) * (s.records() - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
