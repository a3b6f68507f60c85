package dev.switchboard.testkit.secrets;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One-liners for tests: register what they mint, plant canaries, assert that a text or exception is clean. */
public final class Secrets {
    private Secrets() {}

    /** Registers {@code value} with the JVM's registry and returns it: {@code token = Secrets.register(...)}. */
    public static String register(SecretKind kind, String value) {
        return SecretRegistry.global().register(kind, value);
    }

    /** A new, registered canary, {@code CANARY-<uuid>}: plant it in data tenant A must never see. */
    public static String canary() {
        return register(SecretKind.CANARY, "CANARY-" + UUID.randomUUID());
    }

    /** Every finding in the messages (and {@code toString}) of {@code thrown}, its causes and suppressed. */
    public static List<Finding> findingsIn(String where, @Nullable Throwable thrown) {
        List<Finding> found = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(where, thrown, seen, found);
        return found;
    }

    private static void collect(String where, @Nullable Throwable t, Set<Throwable> seen, List<Finding> found) {
        if (t == null || !seen.add(t)) {
            return;
        }
        found.addAll(SecretRegistry.global().scan(where + " (" + t.getClass().getName() + ")", t.toString()));
        collect(where, t.getCause(), seen, found);
        for (Throwable s : t.getSuppressed()) {
            collect(where, s, seen, found);
        }
    }

    /** Fails if a registered secret, a canary or a secret-shaped string is in {@code thrown}'s chain. */
    public static void assertNoSecretIn(@Nullable Throwable thrown) {
        fail(findingsIn("exception", thrown));
    }

    /** Fails if {@code text} (a rendered record, audit event, metric tag...) holds a secret or canary. */
    public static void assertNoSecretIn(String where, @Nullable Object text) {
        fail(SecretRegistry.global().scan(where, text == null ? null : String.valueOf(text)));
    }

    private static void fail(List<Finding> found) {
        if (!found.isEmpty()) {
            throw new AssertionError(report(found));
        }
    }

    /** The findings as lines: kind, digest and place; never the value. */
    public static String report(List<Finding> found) {
        StringBuilder report = new StringBuilder(found.size() + " secret(s) or canaries where none may be:");
        found.stream().distinct().forEach(f -> report.append("\n  ").append(f));
        return report.toString();
    }
}
