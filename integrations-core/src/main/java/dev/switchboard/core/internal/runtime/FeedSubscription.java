package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Checkpoint;
import dev.switchboard.core.Principal;
import dev.switchboard.core.ReadRequest;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.PositionStore;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.ChangeCall;
import dev.switchboard.core.connector.ChangeReader;
import dev.switchboard.core.connector.Position;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.TransientException;
import dev.switchboard.core.model.Record;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's change feed of one connection. Polled streams are read incrementally from the
 * subscriber's stored checkpoint; pushed streams are followed through the connector's
 * {@link ChangeReader}. Each event goes to the listener under one lock (one delivery at a time), and the
 * position after it is stored only once the listener returned: a listener that throws stops that
 * stream's poll before the event, which comes again next time. Scheduled polls run on one thread of the
 * subscription's own, waiting with the injected sleeper in short slices so an early poll (a webhook or a
 * write marked the stream) starts soon.
 */
final class FeedSubscription implements Subscription {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.changes");
    /** The longest a scheduled feed sleeps before it looks for early polls and pushed changes. */
    private static final Duration SLICE = Duration.ofMillis(250);
    /**
     * The longest a pushed stream waits before its reader is tried again after failures in a row (the wait
     * doubles from one slice): a database that is down, or a table the feed refuses, is not asked four times a
     * second, and its warning is not logged as often.
     */
    static final Duration MAX_PUSH_BACKOFF = Duration.ofSeconds(30);

    private final ChangeHub hub;
    private final AgentContext context;
    private final ChangeRequest request;
    private final ChangeListener listener;
    private final List<StreamDescriptor> polled = new ArrayList<>();
    private final List<StreamDescriptor> pushed = new ArrayList<>();
    private final ReentrantLock delivery = new ReentrantLock();
    private final Set<String> early = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> due = new HashMap<>();
    private final Map<String, OpenReader> readers = new HashMap<>();
    /** Pushed streams whose last try failed: how many times in a row, and when to try again. */
    private final Map<String, Retry> retries = new HashMap<>();

    private volatile boolean open = true;
    private volatile @Nullable SwitchboardException lastFailure;
    private @Nullable Thread thread;

    FeedSubscription(
            ChangeHub hub,
            AgentContext context,
            ChangeRequest request,
            ChangeListener listener,
            List<StreamDescriptor> streams) {
        this.hub = hub;
        this.context = context;
        this.request = request;
        this.listener = listener;
        for (StreamDescriptor s : streams) {
            (s.pushesChanges() ? pushed : polled).add(s);
        }
    }

    void start() {
        openPushedReaders();
        if (request.manual()) {
            return;
        }
        Thread t = new Thread(this::run, "switchboard-feed-" + request.connection() + "-" + request.subscriber());
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public ChangeRequest request() {
        return request;
    }

    @Override
    public Optional<SwitchboardException> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    boolean follows(String connection, String stream) {
        return open
                && request.connection().equals(connection)
                && (polled.stream().anyMatch(s -> s.name().equals(stream))
                        || pushed.stream().anyMatch(s -> s.name().equals(stream)));
    }

    // ---- polling -----------------------------------------------------------------------------------

    @Override
    public int poll() {
        if (!open) {
            throw new IllegalStateException("this subscription is closed");
        }
        delivery.lock();
        try {
            int delivered = 0;
            SwitchboardException first = null;
            for (StreamDescriptor s : polled) {
                early.remove(s.name());
                try {
                    delivered += pollStream(s);
                } catch (SwitchboardException e) {
                    first = first == null ? e : first;
                }
            }
            for (StreamDescriptor s : pushed) {
                try {
                    delivered += pushOnce(s, Duration.ZERO);
                } catch (SwitchboardException e) {
                    first = first == null ? e : first;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            lastFailure = first;
            if (first != null) {
                throw first;
            }
            return delivered;
        } finally {
            delivery.unlock();
        }
    }

    private void run() {
        Instant start = hub.switchboard().spec().clock().instant();
        polled.forEach(s -> due.put(s.name(), start));
        while (open) {
            Instant now = hub.switchboard().spec().clock().instant();
            for (StreamDescriptor s : polled) {
                Instant at = due.getOrDefault(s.name(), now);
                if (!open || !(early.remove(s.name()) || !now.isBefore(at))) {
                    continue;
                }
                delivery.lock();
                try {
                    if (open) {
                        pollStream(s);
                        lastFailure = null;
                    }
                } catch (SwitchboardException e) {
                    lastFailure = e;
                    log.warn(
                            "The change feed of {} for '{}' failed to poll '{}': {}",
                            request.connection(),
                            request.subscriber(),
                            s.name(),
                            e.getMessage());
                } catch (RuntimeException e) {
                    lastFailure = new PermanentException(
                            "switchboard",
                            "change feed",
                            "polling '" + s.name() + "' failed: " + e.getClass().getName(),
                            e);
                    log.error(
                            "The change feed of {} for '{}' failed to poll '{}'",
                            request.connection(),
                            request.subscriber(),
                            s.name(),
                            e);
                } finally {
                    delivery.unlock();
                }
                due.put(s.name(), hub.switchboard().spec().clock().instant().plus(request.pollInterval()));
            }
            try {
                if (!pushed.isEmpty()) {
                    Duration idle = SLICE;
                    boolean tried = false;
                    for (StreamDescriptor s : pushed) {
                        if (!open) {
                            break;
                        }
                        Instant at = hub.switchboard().spec().clock().instant();
                        Retry retry = retries.get(s.name());
                        if (retry != null && at.isBefore(retry.at())) {
                            Duration left = Duration.between(at, retry.at());
                            idle = left.compareTo(idle) < 0 ? left : idle;
                            continue;
                        }
                        tried = true;
                        delivery.lock();
                        try {
                            pushOnce(s, SLICE);
                            retries.remove(s.name());
                            lastFailure = null;
                        } catch (SwitchboardException e) {
                            lastFailure = e;
                            Retry next = Retry.after(
                                    retry, hub.switchboard().spec().clock().instant());
                            retries.put(s.name(), next);
                            log.warn(
                                    "The change feed of {} for '{}' failed on pushed stream '{}' ({} in a row; trying"
                                            + " again in {} ms): {}",
                                    request.connection(),
                                    request.subscriber(),
                                    s.name(),
                                    next.failures(),
                                    next.delay().toMillis(),
                                    e.getMessage());
                        } finally {
                            delivery.unlock();
                        }
                    }
                    if (!tried) {
                        hub.switchboard().spec().sleeper().sleep(idle);
                    }
                } else {
                    hub.switchboard().spec().sleeper().sleep(untilNextPoll());
                }
            } catch (InterruptedException e) {
                break; // closing
            }
        }
    }

    /** How long to sleep: until the next poll is due, at most one slice, so early polls start soon. */
    private Duration untilNextPoll() {
        Instant now = hub.switchboard().spec().clock().instant();
        Duration wait = SLICE;
        for (Instant at : due.values()) {
            Duration left = Duration.between(now, at);
            if (left.compareTo(wait) < 0) {
                wait = left.isNegative() ? Duration.ZERO : left;
            }
        }
        return early.isEmpty() ? wait : Duration.ZERO;
    }

    private ConnectionRuntime enter() {
        while (true) {
            ConnectionRuntime runtime = hub.switchboard().current(request.connection());
            if (runtime == null) {
                SwitchboardException gone = hub.switchboard().unknown(request.connection());
                stop(gone);
                throw gone;
            }
            if (runtime.enter()) {
                return runtime;
            }
        }
    }

    private PositionStore positions() {
        return hub.switchboard().spec().positionStore();
    }

    private @Nullable Checkpoint stored(String stream) {
        String value = positions()
                .load(request.subscriber(), request.connection(), stream)
                .orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return Checkpoint.parse(value);
        } catch (IllegalArgumentException e) {
            throw new PermanentException(
                    "switchboard",
                    "change feed",
                    "the position stored for subscriber '"
                            + request.subscriber() + "' of " + request.connection() + "/" + stream + " is damaged ("
                            + e.getMessage()
                            + "); delete it (PositionStore.delete) to follow the stream from its beginning",
                    e);
        }
    }

    /** One incremental read of a polled stream from the stored position: each record becomes an event. */
    private int pollStream(StreamDescriptor stream) {
        ConnectionRuntime runtime = enter();
        Principal pollAs = request.pollAs();
        Checkpoint since = stored(stream.name());
        ReadRequest read =
                ReadRequest.of(stream.name()).pageSize(request.pageSize()).since(since);
        String saved = since == null ? null : since.value();
        int delivered = 0;
        GovernedRecordStream opened;
        try {
            opened = (GovernedRecordStream) runtime.read(context, read, true, pollAs);
        } catch (RuntimeException | Error e) {
            runtime.exit();
            throw e;
        }
        try (GovernedRecordStream records = opened) {
            while (open && records.hasNext()) {
                Record r = records.next();
                ChangeEvent event =
                        ChangeEvent.of(request.connection(), r, records.lastPosition(), ChangeEvent.Origin.POLL);
                hub.invalidate(event);
                deliver(event);
                delivered++;
                saved = save(stream.name(), records.checkpoint(), saved);
            }
            if (open) {
                // Records withheld or quarantined after the last event moved the checkpoint too.
                save(stream.name(), records.checkpoint(), saved);
            }
        }
        return delivered;
    }

    private @Nullable String save(String stream, Checkpoint checkpoint, @Nullable String saved) {
        String value = checkpoint.value();
        if (!value.equals(saved)) {
            positions().save(request.subscriber(), request.connection(), stream, value);
        }
        return value;
    }

    /** A connector's change reader, opened on one configuration of the connection. */
    private record OpenReader(ConnectionRuntime runtime, ChangeReader reader) {}

    /**
     * One poll of a pushed stream's reader: each event is delivered, then its position stored and
     * acknowledged. When anything fails the reader is closed, so the next poll opens one that resumes from
     * the stored position and the events not acknowledged come again.
     */
    private int pushOnce(StreamDescriptor stream, Duration wait) throws InterruptedException {
        ConnectionRuntime runtime = enter();
        try {
            ChangeReader reader = reader(stream, runtime);
            List<ChangeEvent> events;
            try {
                events = reader.poll(wait);
            } catch (SwitchboardException e) {
                closeReader(stream.name());
                throw e;
            } catch (RuntimeException e) {
                closeReader(stream.name());
                throw new PermanentException(
                        runtime.descriptor().id(),
                        "changes " + stream.name(),
                        "the connector's change feed failed: " + e.getClass().getName(),
                        e);
            }
            int delivered = 0;
            try {
                Checkpoint checkpoint =
                        Optional.ofNullable(stored(stream.name())).orElse(Checkpoint.start(stream.name()));
                for (ChangeEvent event : events) {
                    if (!open) {
                        break;
                    }
                    hub.invalidate(event);
                    Record r = event.record();
                    boolean visible = event.op() == ChangeEvent.Op.DELETE
                            || r == null
                            || hub.switchboard().spec().accessPolicy().filter(context, r) != null;
                    if (visible) {
                        deliver(event);
                        delivered++;
                    }
                    Position position = event.position();
                    if (position != null) {
                        checkpoint = checkpoint.with(position);
                        positions().save(request.subscriber(), request.connection(), stream.name(), checkpoint.value());
                        reader.acknowledge(position);
                    }
                }
            } catch (RuntimeException | Error e) {
                // The reader has handed over events past the failure; a new one resumes from the stored position.
                closeReader(stream.name());
                throw e;
            }
            return delivered;
        } finally {
            runtime.exit();
        }
    }

    /**
     * Opens each pushed stream's reader before {@code subscribe} returns, so a change committed after it
     * returned is delivered (a database's slot starts capturing when its reader opens). A reader that cannot
     * open now is opened again by the next poll; its failure is the subscription's last failure meanwhile.
     */
    private void openPushedReaders() {
        for (StreamDescriptor stream : pushed) {
            delivery.lock();
            try {
                ConnectionRuntime runtime = enter();
                try {
                    reader(stream, runtime);
                } finally {
                    runtime.exit();
                }
            } catch (SwitchboardException e) {
                lastFailure = e;
                log.warn(
                        "The change feed of {} for '{}' could not open pushed stream '{}' yet: {}",
                        request.connection(),
                        request.subscriber(),
                        stream.name(),
                        e.getMessage());
            } catch (RuntimeException e) {
                lastFailure = new PermanentException(
                        "switchboard",
                        "change feed",
                        "opening the change reader of '" + stream.name() + "' failed: "
                                + e.getClass().getName(),
                        e);
                log.error(
                        "The change feed of {} could not open pushed stream '{}'",
                        request.connection(),
                        stream.name(),
                        e);
            } finally {
                delivery.unlock();
            }
        }
    }

    /** The open reader of a pushed stream on {@code runtime}, opened from the stored position if there is none. */
    private ChangeReader reader(StreamDescriptor stream, ConnectionRuntime runtime) {
        OpenReader current = readers.get(stream.name());
        if (current != null && current.runtime() != runtime) {
            closeReader(stream.name()); // the connection was updated: follow it on its new configuration
            current = null;
        }
        if (current == null) {
            Checkpoint since = stored(stream.name());
            ChangeCall call = new ChangeCall(
                    runtime.pinned(stream),
                    request.subscriber(),
                    since == null ? Map.of() : since.positions(),
                    runtime.credentials(
                            runtime.credentialKey(request.pollAs() != null ? request.pollAs() : context.principal())));
            current = new OpenReader(
                    runtime,
                    runtime.inContext(
                            context,
                            "changes " + stream.name(),
                            () -> runtime.session().changes(call)));
            readers.put(stream.name(), current);
        }
        return current.reader();
    }

    private void closeReader(String stream) {
        OpenReader open = readers.remove(stream);
        if (open != null) {
            try {
                open.reader().close();
            } catch (RuntimeException e) {
                log.warn("Closing the change reader of '{}' failed", stream, e);
            }
        }
    }

    /** Hands one event to the listener; a listener failure becomes a retryable error (the position stays). */
    private void deliver(ChangeEvent event) {
        try {
            listener.onChange(event);
        } catch (Exception e) {
            hub.counter(
                            "switchboard.changes.failed",
                            "Change events a listener failed on",
                            event.connection(),
                            event.stream(),
                            "origin",
                            event.origin().name().toLowerCase(java.util.Locale.ROOT))
                    .increment();
            throw ChangeHub.listenerFailed(event, e);
        }
        hub.counter(
                        "switchboard.changes.delivered",
                        "Change events delivered to listeners",
                        event.connection(),
                        event.stream(),
                        "origin",
                        event.origin().name().toLowerCase(java.util.Locale.ROOT))
                .increment();
    }

    /**
     * An event without a position (a webhook, a write), on the caller's thread: delivered now (an upsert
     * carrying a record only if the policy lets this subscriber see it), and its stream polled early.
     */
    void deliverNow(ChangeEvent event, @Nullable Principal author) {
        if (polled.stream().anyMatch(s -> s.name().equals(event.stream()))) {
            early.add(event.stream());
        }
        delivery.lock();
        try {
            if (!open) {
                return;
            }
            Record r = event.record();
            if (event.op() == ChangeEvent.Op.UPSERT
                    && r != null
                    && hub.switchboard().spec().accessPolicy().filter(context, r) == null) {
                return;
            }
            if (event.op() == ChangeEvent.Op.UPSERT
                    && r == null
                    && !context.principal().system()
                    && !context.principal().equals(author)) {
                // An upsert known by id only cannot pass the row filter: a user hears of it only for a write of
                // their own; the early poll brings everyone else the record, filtered.
                return;
            }
            deliver(event);
        } catch (TransientException e) {
            log.warn(
                    "The listener of subscriber '{}' failed on {}; the stream's next poll brings the record again",
                    request.subscriber(),
                    event);
        } finally {
            delivery.unlock();
        }
    }

    /** Stops after a failure the feed cannot recover from (its connection was removed). */
    void stop(SwitchboardException why) {
        lastFailure = why;
        close();
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        delivery.lock();
        try {
            for (String stream : new ArrayList<>(readers.keySet())) {
                closeReader(stream);
            }
        } finally {
            delivery.unlock();
        }
        hub.ended(this, context);
    }

    @Override
    public String toString() {
        return "Subscription[" + request + (open ? "" : ", closed") + "]";
    }

    /** A pushed stream's failures in a row and when it is tried again: one slice, doubling up to a cap. */
    record Retry(int failures, Duration delay, Instant at) {
        static Retry after(@Nullable Retry previous, Instant now) {
            int failures = previous == null ? 1 : previous.failures() + 1;
            Duration delay = previous == null ? SLICE : previous.delay().multipliedBy(2);
            if (delay.compareTo(MAX_PUSH_BACKOFF) > 0) {
                delay = MAX_PUSH_BACKOFF;
            }
            return new Retry(failures, delay, now.plus(delay));
        }
    }
}
