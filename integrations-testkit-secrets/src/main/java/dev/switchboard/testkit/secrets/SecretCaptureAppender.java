package dev.switchboard.testkit.secrets;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * A logback appender that hands every event, rendered in full, to a {@link LogCapture}: the formatted
 * message, the MDC, SLF4J key-value pairs and the message of every throwable in the chain (causes and
 * suppressed), whatever the console pattern shows. Put it on the root logger of {@code logback-test.xml}:
 *
 * <pre>{@code
 * <appender name="SECRETS" class="dev.switchboard.testkit.secrets.SecretCaptureAppender"/>
 * <root level="WARN"><appender-ref ref="SECRETS"/></root>
 * }</pre>
 */
public final class SecretCaptureAppender extends AppenderBase<ILoggingEvent> {
    private final LogCapture capture;

    /** Feeds the JVM's capture, which the end-of-run check reads (logback's constructor). */
    public SecretCaptureAppender() {
        this(LogCapture.global());
    }

    /** Feeds {@code capture}: for a test of the check itself. */
    public SecretCaptureAppender(LogCapture capture) {
        this.capture = capture;
    }

    @Override
    public void start() {
        capture.markInstalled();
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        capture.add(event.getLoggerName(), render(event));
    }

    /** The event's message, MDC, key-value pairs and throwable chain, as one line. */
    static String render(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
        for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
            line.append(" | mdc ").append(e.getKey()).append('=').append(e.getValue());
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                line.append(" | kv ").append(kv.key).append('=').append(kv.value);
            }
        }
        appendThrowable(line, event.getThrowableProxy(), 0);
        return line.toString();
    }

    private static void appendThrowable(StringBuilder line, IThrowableProxy t, int depth) {
        // Depth bounds a cyclic cause chain.
        if (t == null || depth > 20) {
            return;
        }
        line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        appendThrowable(line, t.getCause(), depth + 1);
        for (IThrowableProxy s : t.getSuppressed()) {
            appendThrowable(line, s, depth + 1);
        }
    }
}
