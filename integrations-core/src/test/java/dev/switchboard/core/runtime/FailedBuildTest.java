package dev.switchboard.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.ConnectionConfig;
import dev.switchboard.core.Switchboard;
import dev.switchboard.core.connector.ActionCall;
import dev.switchboard.core.connector.AuthKind;
import dev.switchboard.core.connector.Connector;
import dev.switchboard.core.connector.ConnectorContext;
import dev.switchboard.core.connector.ConnectorDescriptor;
import dev.switchboard.core.connector.ConnectorSession;
import dev.switchboard.core.connector.StreamCall;
import dev.switchboard.core.connector.StreamReader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A build that fails part way closes what it had opened: counted sessions, counted threads. */
class FailedBuildTest {
    private static final String THREAD_PREFIX = "failed-build-test-session-";

    /** Each session runs a thread until it is closed, as a connector holding a stream or a pool would. */
    private static final class ThreadedConnector implements Connector {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();
        private final String id;
        private final boolean openFails;

        ThreadedConnector(String id, boolean openFails) {
            this.id = id;
            this.openFails = openFails;
        }

        @Override
        public ConnectorDescriptor descriptor() {
            return ConnectorDescriptor.builder(id).authKind(AuthKind.NONE).build();
        }

        @Override
        public ConnectorSession open(ConnectorContext context) {
            if (openFails) {
                throw new IllegalArgumentException(
                        "connection '" + context.connection().id() + "' is misconfigured");
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread worker = new Thread(
                    () -> {
                        try {
                            stop.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    THREAD_PREFIX + context.connection().id());
            worker.setDaemon(true);
            worker.start();
            opened.incrementAndGet();
            return new ConnectorSession() {
                @Override
                public StreamReader openStream(StreamCall call) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public dev.switchboard.core.connector.ActionOutput execute(ActionCall call) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                    stop.countDown();
                }
            };
        }
    }

    private static ConnectionConfig connection(String id, String connector) {
        return ConnectionConfig.builder(id)
                .connector(connector)
                .baseUrl("http://127.0.0.1:9")
                .build();
    }

    /** Live threads of this test's sessions, once the dying ones had a bounded time to end. */
    private static long sessionThreadsAfterSettling() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            long live = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith(THREAD_PREFIX) && t.isAlive())
                    .count();
            if (live == 0 || System.nanoTime() > deadline) {
                return live;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aBuildWhoseSecondConnectionNamesAnUnknownConnectorLeaksNoThread() throws Exception {
        ThreadedConnector threaded = new ThreadedConnector("threaded", false);

        assertThatThrownBy(() -> Switchboard.builder()
                        .discoverConnectors(false)
                        .connector(threaded)
                        .connection(connection("first", "threaded"))
                        .connection(connection("second", "nowhere"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nowhere'");

        assertThat(threaded.opened).hasValue(1);
        assertThat(threaded.closed).hasValue(1);
        assertThat(sessionThreadsAfterSettling()).isZero();
    }

    @Test
    void aBuildWhoseLaterConnectorFailsToOpenClosesTheSessionsOpenedBefore() throws Exception {
        ThreadedConnector threaded = new ThreadedConnector("threaded", false);
        ThreadedConnector broken = new ThreadedConnector("broken", true);

        assertThatThrownBy(() -> Switchboard.builder()
                        .discoverConnectors(false)
                        .connector(threaded)
                        .connector(broken)
                        .connection(connection("first", "threaded"))
                        .connection(connection("second", "threaded"))
                        .connection(connection("third", "broken"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'third' is misconfigured");

        assertThat(threaded.opened).hasValue(2);
        assertThat(threaded.closed).hasValue(2);
        assertThat(sessionThreadsAfterSettling()).isZero();
    }
}
