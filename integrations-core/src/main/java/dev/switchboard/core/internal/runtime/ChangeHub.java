package dev.switchboard.core.internal.runtime;

import dev.switchboard.core.AgentContext;
import dev.switchboard.core.Principal;
import dev.switchboard.core.TokenMode;
import dev.switchboard.core.auth.Credential;
import dev.switchboard.core.auth.CredentialSource;
import dev.switchboard.core.cache.PageKey;
import dev.switchboard.core.change.ChangeEvent;
import dev.switchboard.core.change.ChangeListener;
import dev.switchboard.core.change.ChangeRequest;
import dev.switchboard.core.change.Subscription;
import dev.switchboard.core.connector.Effect;
import dev.switchboard.core.connector.Page;
import dev.switchboard.core.connector.StreamDescriptor;
import dev.switchboard.core.connector.WebhookCall;
import dev.switchboard.core.connector.WebhookOutcome;
import dev.switchboard.core.error.InvalidInputException;
import dev.switchboard.core.error.PermanentException;
import dev.switchboard.core.error.PermissionDeniedException;
import dev.switchboard.core.error.ReauthorizationRequiredException;
import dev.switchboard.core.error.SwitchboardException;
import dev.switchboard.core.error.WebhookRejectedException;
import dev.switchboard.core.governance.AuditEvent;
import dev.switchboard.core.governance.Operation;
import dev.switchboard.core.webhook.WebhookHandler;
import dev.switchboard.core.webhook.WebhookRequest;
import dev.switchboard.core.webhook.WebhookResponse;
import io.micrometer.core.instrument.Counter;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where change events meet: it starts subscriptions, hands events without a position of their own
 * (webhooks, writes) to the subscriptions that follow their stream, drops the pages of the read cache
 * that hold a changed record before any listener hears of it (and keeps a page read before a change
 * from being cached after it), and receives webhook deliveries.
 */
final class ChangeHub {
    private static final Logger log = LoggerFactory.getLogger("dev.switchboard.changes");

    private final SwitchboardRuntime switchboard;
    private final CopyOnWriteArrayList<FeedSubscription> subscriptions = new CopyOnWriteArrayList<>();
    /** Orders cache fills against invalidations; guards {@link #generations}. */
    private final Object cacheLock = new Object();
    /** Changes learned of per connection and stream ({@code connection/stream}). */
    private final Map<String, Long> generations = new HashMap<>();

    ChangeHub(SwitchboardRuntime switchboard) {
        this.switchboard = switchboard;
    }

    SwitchboardRuntime switchboard() {
        return switchboard;
    }

    Subscription subscribe(AgentContext context, ChangeRequest request, ChangeListener listener) {
        String opName = "subscribe";
        ConnectionRuntime runtime = switchboard.current(request.connection());
        if (runtime == null) {
            throw switchboard.unknown(request.connection());
        }
        List<StreamDescriptor> streams = new ArrayList<>();
        if (request.streams().isEmpty()) {
            runtime.descriptor().streams().stream()
                    .filter(StreamDescriptor::followable)
                    .forEach(streams::add);
            if (streams.isEmpty()) {
                throw new InvalidInputException(
                        runtime.descriptor().id(),
                        opName,
                        "connection '" + runtime.id()
                                + "' has no stream a change feed can follow (none is incremental or pushed)");
            }
        } else {
            for (String name : request.streams()) {
                StreamDescriptor stream = runtime.stream(name, opName);
                if (!stream.followable()) {
                    throw new InvalidInputException(
                            runtime.descriptor().id(),
                            opName,
                            "stream '" + name
                                    + "' cannot be followed: it has no cursor to poll by and the connector pushes no changes of it;"
                                    + " follow "
                                    + runtime.descriptor().streams().stream()
                                            .filter(StreamDescriptor::followable)
                                            .map(StreamDescriptor::name)
                                            .toList());
                }
                streams.add(stream);
            }
        }
        boolean polls = streams.stream().anyMatch(s -> !s.pushesChanges());
        if (polls
                && runtime.config().tokenMode() == TokenMode.PER_PRINCIPAL
                && request.pollAs() == null
                && runtime.descriptor().authKind().needsCredential()) {
            throw new InvalidInputException(
                    runtime.descriptor().id(),
                    opName,
                    "connection '" + runtime.id()
                            + "' reads with each user's own grant (PER_PRINCIPAL): name the principal whose grant polls it"
                            + " (ChangeRequest.Builder.pollAs)");
        }
        Principal pollAs = request.pollAs();
        Principal subscriber = context.principal();
        if (pollAs != null
                && !subscriber.system()
                && !(pollAs.userId().equals(subscriber.userId())
                        && pollAs.tenantId().equals(subscriber.tenantId()))) {
            // A user's feed reads with the user's own grant: another's would act as them without their say.
            String why = "user '" + subscriber.userId() + "' may poll only with its own grant, not with that of '"
                    + pollAs.userId() + "'; subscribe as that user, or as a system principal of the application";
            switchboard
                    .auditor()
                    .record(runtime.event(context, AuditEvent.Kind.ACCESS, AuditEvent.Outcome.DENIED, "subscribe")
                            .detail("SUBSCRIBE: " + why)
                            .build());
            throw new PermissionDeniedException(runtime.descriptor().id(), opName, why);
        }
        for (StreamDescriptor stream : streams) {
            runtime.authorize(
                    context,
                    runtime.operation(stream.name(), Effect.READ, Operation.Kind.SUBSCRIBE, List.of(), null),
                    opName);
        }
        FeedSubscription subscription = new FeedSubscription(this, context, request, listener, streams);
        subscriptions.add(subscription);
        switchboard
                .auditor()
                .record(runtime.event(context, AuditEvent.Kind.SUBSCRIBE, AuditEvent.Outcome.ALLOWED, "subscribe")
                        .detail("subscriber " + request.subscriber() + " follows "
                                + streams.stream().map(StreamDescriptor::name).toList()
                                + (request.manual()
                                        ? ", polled by the application"
                                        : ", polled every " + request.pollInterval()))
                        .build());
        subscription.start();
        return subscription;
    }

    void ended(FeedSubscription subscription, AgentContext context) {
        subscriptions.remove(subscription);
        // Audited even when the feed stopped because its connection was removed.
        switchboard
                .auditor()
                .record(AuditEvent.builder(
                                switchboard.spec().clock().instant(),
                                AuditEvent.Kind.SUBSCRIBE,
                                AuditEvent.Outcome.SUCCEEDED)
                        .connection(subscription.request().connection())
                        .operation("unsubscribe")
                        .principal(
                                context.principal().tenantId(),
                                context.principal().userId())
                        .session(context.sessionId(), context.traceId())
                        .detail("subscriber " + subscription.request().subscriber() + " stopped")
                        .build());
    }

    /**
     * An event without a position of its own (a write's affected record, a webhook's change): caches forget
     * the record, then every subscription following its stream hears of it at once and polls the stream early.
     */
    void publish(ChangeEvent event, dev.switchboard.core.@Nullable Principal author) {
        invalidate(event);
        for (FeedSubscription s : subscriptions) {
            if (s.follows(event.connection(), event.stream())) {
                s.deliverNow(event, author);
            }
        }
    }

    /** Caches forget the record before any listener hears of its change. */
    void invalidate(ChangeEvent event) {
        synchronized (cacheLock) {
            generations.merge(event.connection() + "/" + event.stream(), 1L, Long::sum);
            try {
                switchboard.spec().readCache().invalidate(event);
            } catch (RuntimeException e) {
                // A cache that cannot forget must not serve: stop short of telling listeners the change was applied.
                log.error("The read cache failed to drop pages of {}", event, e);
                throw e;
            }
        }
    }

    /**
     * How many changes of a stream core has learned of so far. A read takes it before it asks the connector
     * for a page, and {@link #cache caches} the page only if it has not moved since: a page read before a
     * change and cached after its invalidation would otherwise be served stale until the next change.
     */
    long generation(String connection, String stream) {
        synchronized (cacheLock) {
            return generations.getOrDefault(connection + "/" + stream, 0L);
        }
    }

    /** Caches a page read from the connector, unless a change of its stream arrived since {@code generation}. */
    void cache(PageKey key, Page page, long generation) {
        synchronized (cacheLock) {
            if (generations.getOrDefault(key.connection() + "/" + key.stream(), 0L) == generation) {
                switchboard.spec().readCache().put(key, page);
            }
        }
    }

    void connectionRemoved(String connection) {
        for (FeedSubscription s : subscriptions) {
            if (s.request().connection().equals(connection)) {
                s.stop(switchboard.unknown(connection));
            }
        }
    }

    void close() {
        for (FeedSubscription s : subscriptions) {
            s.close();
        }
    }

    Counter counter(String name, String description, String connection, String stream, String tagKey, String tagValue) {
        return Counter.builder(name)
                .description(description)
                .tags("connection", connection, "stream", stream, tagKey, tagValue)
                .register(switchboard.spec().meters());
    }

    // ---- webhooks ----------------------------------------------------------------------------------

    WebhookHandler webhooks() {
        return this::handle;
    }

    private WebhookResponse handle(WebhookRequest request) {
        String opName = "webhook";
        ConnectionRuntime runtime;
        while (true) {
            runtime = switchboard.current(request.connection());
            if (runtime == null) {
                throw rejected(
                        null,
                        request,
                        WebhookRejectedException.Reason.UNKNOWN_CONNECTION,
                        "no connection '" + request.connection() + "' is configured: check the route the application"
                                + " mounted the webhook handler on");
            }
            if (runtime.enter()) {
                break;
            }
            // replaced between the lookup and the entry: the delivery goes to the new configuration
        }
        try {
            return handle(runtime, request, opName);
        } finally {
            runtime.exit();
        }
    }

    private WebhookResponse handle(ConnectionRuntime runtime, WebhookRequest request, String opName) {
        Instant now = switchboard.spec().clock().instant();
        CredentialSource credentials = switchboard.spec().credentials();
        WebhookCall call = new WebhookCall(
                request,
                now,
                name -> {
                    if (credentials == null) {
                        throw new ReauthorizationRequiredException(
                                runtime.descriptor().id(),
                                opName,
                                "no credential source is" + " configured to hold the webhook secret '" + name
                                        + "' of connection '" + runtime.id() + "'");
                    }
                    return secret(credentials, runtime.config().secretKey(name));
                },
                runtime.http(runtime.credentialKey(Principal.system("webhooks")), true, false));
        WebhookOutcome outcome;
        try {
            outcome = runtime.inContext(AgentContext.of(Principal.system("webhooks")), opName, () -> {
                try {
                    return runtime.session().webhook(call);
                } catch (UnsupportedOperationException e) {
                    throw rejected(
                            runtime,
                            request,
                            WebhookRejectedException.Reason.UNSUPPORTED,
                            "connector '" + runtime.descriptor().id() + "' takes no webhooks");
                }
            });
        } catch (WebhookRejectedException e) {
            audit(runtime, request, AuditEvent.Outcome.DENIED, List.of(), 0, e.reason() + ": " + e.getMessage());
            count(runtime.id(), e.reason().name().toLowerCase(java.util.Locale.ROOT));
            throw e;
        } catch (SwitchboardException e) {
            // Not the delivery's fault (no signing secret stored, the connector failed): answered as an error,
            // so the vendor retries, and never silent.
            audit(
                    runtime,
                    request,
                    AuditEvent.Outcome.FAILED,
                    List.of(),
                    0,
                    "could not verify: " + e.getClass().getSimpleName());
            count(runtime.id(), "failed");
            throw e;
        }
        Duration tolerance = switchboard.spec().webhookTolerance();
        Instant signedAt = outcome.signedAt().orElse(null);
        if (signedAt != null && Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            throw refuse(
                    runtime,
                    request,
                    WebhookRejectedException.Reason.STALE,
                    "the delivery was signed at " + signedAt + ", more than " + tolerance + " from now (" + now
                            + "): a replay, or a clock out of sync");
        }
        if (outcome.challengeResponse().isPresent()) {
            audit(runtime, request, AuditEvent.Outcome.SUCCEEDED, List.of(), 0, "verification challenge answered");
            count(runtime.id(), "challenge");
            return outcome.challengeResponse().get();
        }
        // Checked before the replay guard records the delivery: a connector's mistake must not make the
        // vendor's retry (after a fix) a replay of something never applied.
        List<ChangeEvent> events = outcome.events();
        List<String> ids = new ArrayList<>();
        for (ChangeEvent e : events) {
            if (!e.connection().equals(runtime.id())
                    || runtime.descriptor().stream(e.stream()).isEmpty()) {
                audit(
                        runtime,
                        request,
                        AuditEvent.Outcome.FAILED,
                        List.of(),
                        0,
                        "the connector made an event of " + e.connection() + "/" + e.stream());
                count(runtime.id(), "failed");
                throw new PermanentException(
                        runtime.descriptor().id(),
                        opName,
                        "connector '" + runtime.descriptor().id() + "' made an event of " + e.connection() + "/"
                                + e.stream() + " from a delivery to connection '" + runtime.id()
                                + "', which has no such stream; nothing was applied");
            }
            if (ids.size() < AuditEvent.MAX_RECORD_IDS) {
                ids.add(e.stream() + "/" + e.recordId());
            }
        }
        String deliveryId = outcome.deliveryId().orElseGet(() -> "sha256:" + sha256(request.body()));
        Instant keepUntil = (signedAt == null ? now : signedAt).plus(tolerance.multipliedBy(2));
        if (!switchboard.spec().replayGuard().firstSeen(runtime.id(), deliveryId, keepUntil)) {
            throw refuse(
                    runtime,
                    request,
                    WebhookRejectedException.Reason.REPLAY,
                    "delivery " + deliveryId + " was accepted before; nothing was applied again");
        }
        for (ChangeEvent e : events) {
            publish(e, null);
        }
        audit(
                runtime,
                request,
                AuditEvent.Outcome.SUCCEEDED,
                ids,
                events.size(),
                "delivery " + deliveryId + ": " + events.size() + " change(s)");
        count(runtime.id(), "accepted");
        return WebhookResponse.ok(events);
    }

    private static Credential secret(CredentialSource credentials, String key) {
        return credentials.current(key);
    }

    private WebhookRejectedException refuse(
            ConnectionRuntime runtime, WebhookRequest request, WebhookRejectedException.Reason reason, String message) {
        WebhookRejectedException e = rejected(runtime, request, reason, message);
        audit(runtime, request, AuditEvent.Outcome.DENIED, List.of(), 0, reason + ": " + message);
        count(runtime.id(), reason.name().toLowerCase(java.util.Locale.ROOT));
        return e;
    }

    private WebhookRejectedException rejected(
            @Nullable ConnectionRuntime runtime,
            WebhookRequest request,
            WebhookRejectedException.Reason reason,
            String message) {
        String connector =
                runtime == null ? "switchboard" : runtime.descriptor().id();
        return new WebhookRejectedException(connector, "webhook " + request.connection(), reason, message);
    }

    private void audit(
            ConnectionRuntime runtime,
            WebhookRequest request,
            AuditEvent.Outcome outcome,
            List<String> ids,
            long count,
            String detail) {
        switchboard
                .auditor()
                .record(AuditEvent.builder(switchboard.spec().clock().instant(), AuditEvent.Kind.WEBHOOK, outcome)
                        .connection(runtime.id())
                        .operation("webhook")
                        .principal(Principal.ALL_TENANTS, "system:webhooks")
                        .records(ids, count)
                        .detail(request.method() + " " + request.uri().getPath() + ": " + detail)
                        .build());
    }

    private void count(String connection, String outcome) {
        Counter.builder("switchboard.webhooks")
                .description("Webhook deliveries, by outcome")
                .tags("connection", connection, "outcome", outcome)
                .register(switchboard.spec().meters())
                .increment();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static SwitchboardException listenerFailed(ChangeEvent event, Exception cause) {
        return new dev.switchboard.core.error.TransientException(
                "switchboard",
                "change feed",
                "the listener failed on " + event + " (" + cause.getClass().getName() + "); it will be delivered again",
                cause);
    }
}
