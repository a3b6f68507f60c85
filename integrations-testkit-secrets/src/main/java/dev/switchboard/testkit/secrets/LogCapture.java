package dev.switchboard.testkit.secrets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rendered log lines, each scanned as it arrives and kept (up to {@value #RETAINED} of them) to be scanned
 * again at the end for secrets registered after they were logged.
 */
public final class LogCapture {
    /** Lines kept for the final rescan; beyond these, lines are scanned once, on arrival. */
    public static final int RETAINED = 200_000;

    private static final LogCapture GLOBAL = new LogCapture(SecretRegistry.global());

    private record Line(String logger, String text) {}

    private final SecretRegistry registry;
    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger retained = new AtomicInteger();
    private final ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
    private volatile boolean installed;

    /** A capture checked against {@code registry}. */
    public LogCapture(SecretRegistry registry) {
        this.registry = registry;
    }

    /** The capture of the test JVM, which {@code logback-test.xml}'s {@link SecretCaptureAppender} fills. */
    public static LogCapture global() {
        return GLOBAL;
    }

    /** Whether an appender feeds this capture: the end-of-run check runs only then. */
    public boolean installed() {
        return installed;
    }

    void markInstalled() {
        installed = true;
    }

    /** Takes one rendered log line from {@code logger}. */
    public void add(String logger, String text) {
        findings.addAll(registry.scan("logger " + logger, text));
        if (retained.incrementAndGet() <= RETAINED) {
            lines.add(new Line(logger, text));
        }
    }

    /** Every finding so far, each once, after rescanning the kept lines against the registry as it is now. */
    public List<Finding> check() {
        java.util.LinkedHashSet<Finding> all = new java.util.LinkedHashSet<>(findings);
        for (Line line : lines) {
            all.addAll(registry.scan("logger " + line.logger(), line.text()));
        }
        return new ArrayList<>(all);
    }

    /** How many lines arrived. */
    public int lineCount() {
        return retained.get();
    }
}
