package dev.switchboard.testkit.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The secret check finds what it must and only that. Runs on its own registry and capture, through a logger
 * that does not reach the root appender, so the secrets logged here do not fail the real run.
 */
class SecretCheckTest {
    private final SecretRegistry registry = new SecretRegistry();
    private final LogCapture capture = new LogCapture(registry);

    private org.slf4j.Logger isolatedLogger(String name) {
        Logger logger = (Logger) LoggerFactory.getLogger("dev.switchboard.testkit.secrets.isolated." + name);
        logger.setAdditive(false);
        SecretCaptureAppender appender = new SecretCaptureAppender(capture);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
        return logger;
    }

    @Test
    void findsARegisteredSecretInAMessageAnMdcValueAndACauseWithoutShowingIt() {
        String token = registry.register(SecretKind.ACCESS_TOKEN, "at-" + UUID.randomUUID());
        String code = registry.register(SecretKind.AUTHORIZATION_CODE, "code-" + UUID.randomUUID());
        String verifier = registry.register(SecretKind.CODE_VERIFIER, "cv-" + UUID.randomUUID());
        org.slf4j.Logger log = isolatedLogger("leaky");

        log.debug("refreshed, new token {}", token);
        MDC.put("code", code);
        try {
            log.info("exchanged");
        } finally {
            MDC.remove("code");
        }
        log.warn("exchange failed", new IllegalStateException("outer", new RuntimeException("verifier " + verifier)));

        List<Finding> found = capture.check();
        assertThat(found)
                .extracting(Finding::kind)
                .containsExactlyInAnyOrder(
                        SecretKind.ACCESS_TOKEN, SecretKind.AUTHORIZATION_CODE, SecretKind.CODE_VERIFIER);
        assertThat(found).allSatisfy(f -> assertThat(f.where()).isEqualTo("logger " + log.getName()));
        String report = Secrets.report(found);
        assertThat(report).contains(SecretRegistry.digest(token)).doesNotContain(token, code, verifier);
    }

    @Test
    void findsASecretRegisteredAfterItWasLogged() {
        String late = "rt-" + UUID.randomUUID();
        isolatedLogger("late").info("rotated to {}", late);
        assertThat(capture.check()).isEmpty();

        registry.register(SecretKind.REFRESH_TOKEN, late);

        assertThat(capture.check()).extracting(Finding::kind).containsExactly(SecretKind.REFRESH_TOKEN);
    }

    @Test
    void detectsSecretShapesButNotPlaceholders() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
        assertThat(registry.scan("t", "token " + jwt)).extracting(Finding::kind).containsExactly(SecretKind.JWT_SHAPE);
        assertThat(registry.scan("t", "Authorization: Bearer 3kd93kdlQ0dk3l2kdl"))
                .extracting(Finding::kind)
                .containsExactly(SecretKind.BEARER_CREDENTIAL);
        assertThat(registry.scan("t", "token=xoxb-1234567890-abcdefghij"))
                .extracting(Finding::kind)
                .containsExactly(SecretKind.SLACK_TOKEN_SHAPE);
        assertThat(registry.scan("t", "sid 00D5e000000AbCd!AQ4AQHnB7rZ3x9yKfLmNoPqRsTuV.wX"))
                .extracting(Finding::kind)
                .containsExactly(SecretKind.SALESFORCE_SESSION_SHAPE);

        assertThat(registry.scan(
                        "t",
                        "Authorization: Bearer [REDACTED]; Bearer <token>; Bearer ***; xoxb-***; "
                                + "the bearer token expired; WWW-Authenticate: Bearer realm=\"api\""))
                .isEmpty();
    }

    @Test
    void anAllowedHarmlessShapeIsNotReported() {
        String example = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJkb2NzIn0.";
        registry.allowShaped(example);
        assertThat(registry.scan("t", example)).isEmpty();
    }

    @Test
    void refusesValuesTooShortToFindReliably() {
        assertThatThrownBy(() -> registry.register(SecretKind.API_KEY, "abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("abc");
    }

    @Test
    void assertNoSecretInFindsACanaryInACauseAndDoesNotShowIt() {
        String canary = Secrets.canary();
        RuntimeException thrown = new RuntimeException("read failed", new IllegalStateException("row " + canary));

        assertThatThrownBy(() -> Secrets.assertNoSecretIn(thrown))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CANARY")
                .hasMessageContaining(SecretRegistry.digest(canary))
                .hasMessageNotContaining(canary);
        Secrets.assertNoSecretIn(new RuntimeException("read failed", new IllegalStateException("row 7")));
    }
}
