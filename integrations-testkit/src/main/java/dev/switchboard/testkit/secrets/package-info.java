/**
 * Canary checks over what one tenant's run produced: {@link TwoTenants} (one Switchboard, a connection per
 * tenant) and {@link LeakChecks} (records, audit events, meter tags, log lines).
 *
 * <p>The secret check itself (the registry, {@code Secrets}, the logback {@code SecretCaptureAppender} and the
 * JUnit {@code SecretLeakListener}) is in the same package in the module {@code integrations-testkit-secrets},
 * which does not depend on core, so core's own tests use it too; the testkit depends on it, so users of the
 * testkit have both.
 */
@NullMarked
package dev.switchboard.testkit.secrets;

import org.jspecify.annotations.NullMarked;
