package dev.switchboard.testkit.secrets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Scans each failed test's exception chain, and at the end of the launcher session fails the run if that
 * or any captured log line held a registered secret, a canary or a secret-shaped string.
 *
 * <p>Registered for both roles through {@code META-INF/services}. The verdict is thrown from
 * {@link #launcherSessionClosed} because the launcher only logs what a {@link TestExecutionListener}
 * throws; a session listener's exception reaches the build tool. Does nothing unless the module's
 * {@code logback-test.xml} installs a {@link SecretCaptureAppender}.
 */
public final class SecretLeakListener implements TestExecutionListener, LauncherSessionListener {
    // Static: the service loader makes one instance per role.
    private static final ConcurrentLinkedQueue<Finding> FAILURE_FINDINGS = new ConcurrentLinkedQueue<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL
                && LogCapture.global().installed()) {
            result.getThrowable()
                    .ifPresent(
                            t -> FAILURE_FINDINGS.addAll(Secrets.findingsIn("failure of " + test.getDisplayName(), t)));
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (!LogCapture.global().installed()) {
            return;
        }
        LinkedHashSet<Finding> all = new LinkedHashSet<>(LogCapture.global().check());
        all.addAll(FAILURE_FINDINGS);
        if (!all.isEmpty()) {
            String report = Secrets.report(new ArrayList<>(all));
            System.err.println(report);
            throw new AssertionError(report);
        }
    }

    /** Findings so far from failed tests: for the listener's own test. */
    static List<Finding> failureFindings() {
        return new ArrayList<>(FAILURE_FINDINGS);
    }
}
