/**
 * Checks that no secret or canary leaves a test run through a log line or an exception message.
 *
 * <p>Tests and fakes {@linkplain Secrets#register register} each secret as they mint it; a logback
 * {@link SecretCaptureAppender} scans every log event of the test JVM; {@link SecretLeakListener} also
 * scans every failed test's exception chain and fails the run at its end if anything was found. Active only
 * where the module's {@code logback-test.xml} installs the appender, so adding the testkit alone changes
 * nothing.
 *
 * <p>This module ({@code integrations-testkit-secrets}) does not depend on core, so core's own tests use it;
 * the testkit depends on it and adds, in this package, the core-dependent canary helpers {@code TwoTenants}
 * and {@code LeakChecks} (annotated {@code @NullMarked} themselves: a package has one {@code package-info}).
 */
@NullMarked
package dev.switchboard.testkit.secrets;

import org.jspecify.annotations.NullMarked;
