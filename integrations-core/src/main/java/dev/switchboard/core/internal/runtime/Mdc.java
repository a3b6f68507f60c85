package dev.switchboard.core.internal.runtime;

import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.MDC;

/** Runs work with connector, connection, operation and trace id in the SLF4J MDC, then restores it. */
final class Mdc {
    private Mdc() {}

    static <T> T with(Map<String, String> values, Supplier<T> work) {
        Map<String, String> before = MDC.getCopyOfContextMap();
        try {
            values.forEach(MDC::put);
            return work.get();
        } finally {
            if (before == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(before);
            }
        }
    }
}
