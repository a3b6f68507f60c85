package dev.switchboard.benchmarks.replay;

import java.util.Locale;

/**
 * Which records a read delivered, in constant memory: how many, and an order-independent 64-bit sum of a mix
 * of each id. Two sides that read the same records have equal digests; a side that counts one record twice or
 * misses one differs in both. Not thread-safe.
 */
public final class ReadDigest {
    private long count;
    private long sum;

    /** Adds one delivered record. */
    public void add(String id) {
        count++;
        sum += mix(id);
    }

    public long count() {
        return count;
    }

    /** Fails unless {@code other} holds the same records; {@code what} names the two sides. */
    public void checkSame(ReadDigest other, String what) {
        if (count != other.count || sum != other.sum) {
            throw new IllegalStateException(what + " read different records: " + this + " against " + other);
        }
    }

    /** A 64-bit FNV-1a of the id's characters, then a finalizer so that near ids spread over all bits. */
    private static long mix(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d records, digest %016x", count, sum);
    }
}
