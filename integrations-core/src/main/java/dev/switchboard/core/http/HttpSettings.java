package dev.switchboard.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts, size bound, retry and circuit-breaker settings of the HTTP pipeline. Immutable;
 * {@link #custom()} starts from the defaults, {@link #newBuilder()} from this instance.
 *
 * <p>Defaults: connect 10 s, read 30 s, write 30 s, whole call 60 s; responses up to 8 MiB (the
 * largest real vendor payload we know is 2.6 MB); 5 attempts; backoff from 250 ms capped at 20 s;
 * at most 60 s of waiting in all per call; the breaker opens at 50% failures over the last 20 calls
 * (after at least 10) and half-opens after 30 s; idle pooled connections are closed after 4 s; a spent
 * quota is probed with one request every 15 minutes.
 */
public final class HttpSettings {
    private static final HttpSettings DEFAULTS = new Builder().build();

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final Duration callTimeout;
    private final long maxResponseBytes;
    private final int maxAttempts;
    private final Duration backoffBase;
    private final Duration backoffCap;
    private final Duration maxTotalWait;
    private final float breakerFailureRate;
    private final int breakerWindow;
    private final int breakerMinimumCalls;
    private final Duration breakerOpenWait;
    private final Duration idleConnectionTimeout;
    private final Duration quotaProbeInterval;

    private HttpSettings(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.callTimeout = b.callTimeout;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxAttempts = b.maxAttempts;
        this.backoffBase = b.backoffBase;
        this.backoffCap = b.backoffCap;
        this.maxTotalWait = b.maxTotalWait;
        this.breakerFailureRate = b.breakerFailureRate;
        this.breakerWindow = b.breakerWindow;
        this.breakerMinimumCalls = b.breakerMinimumCalls;
        this.breakerOpenWait = b.breakerOpenWait;
        this.idleConnectionTimeout = b.idleConnectionTimeout;
        this.quotaProbeInterval = b.quotaProbeInterval;
    }

    public static HttpSettings defaults() {
        return DEFAULTS;
    }

    public static Builder custom() {
        return new Builder();
    }

    public Builder newBuilder() {
        return new Builder(this);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public long maxResponseBytes() {
        return maxResponseBytes;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration backoffBase() {
        return backoffBase;
    }

    public Duration backoffCap() {
        return backoffCap;
    }

    public Duration maxTotalWait() {
        return maxTotalWait;
    }

    public float breakerFailureRate() {
        return breakerFailureRate;
    }

    public int breakerWindow() {
        return breakerWindow;
    }

    public int breakerMinimumCalls() {
        return breakerMinimumCalls;
    }

    public Duration breakerOpenWait() {
        return breakerOpenWait;
    }

    /** How long a pooled connection may sit idle before it is closed. */
    public Duration idleConnectionTimeout() {
        return idleConnectionTimeout;
    }

    /** How often one request may test whether a spent quota was lifted before its announced reset. */
    public Duration quotaProbeInterval() {
        return quotaProbeInterval;
    }

    @Override
    public String toString() {
        return "HttpSettings[connect=" + connectTimeout + ", read=" + readTimeout + ", call=" + callTimeout
                + ", maxResponseBytes=" + maxResponseBytes + ", maxAttempts=" + maxAttempts + ", backoff=" + backoffBase
                + ".." + backoffCap + ", maxTotalWait=" + maxTotalWait + ", idleConnectionTimeout="
                + idleConnectionTimeout + ", quotaProbeInterval=" + quotaProbeInterval + "]";
    }

    /** Builds {@link HttpSettings}; every value is checked when set. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private long maxResponseBytes = 8L * 1024 * 1024;
        private int maxAttempts = 5;
        private Duration backoffBase = Duration.ofMillis(250);
        private Duration backoffCap = Duration.ofSeconds(20);
        private Duration maxTotalWait = Duration.ofSeconds(60);
        private float breakerFailureRate = 50f;
        private int breakerWindow = 20;
        private int breakerMinimumCalls = 10;
        private Duration breakerOpenWait = Duration.ofSeconds(30);
        // Below the shortest keep-alive common servers use (Node's 5 s), so we close an idle connection
        // before the server does and never write a request into one it already closed.
        private Duration idleConnectionTimeout = Duration.ofSeconds(4);
        private Duration quotaProbeInterval = Duration.ofMinutes(15);

        private Builder() {}

        private Builder(HttpSettings s) {
            connectTimeout = s.connectTimeout;
            readTimeout = s.readTimeout;
            writeTimeout = s.writeTimeout;
            callTimeout = s.callTimeout;
            maxResponseBytes = s.maxResponseBytes;
            maxAttempts = s.maxAttempts;
            backoffBase = s.backoffBase;
            backoffCap = s.backoffCap;
            maxTotalWait = s.maxTotalWait;
            breakerFailureRate = s.breakerFailureRate;
            breakerWindow = s.breakerWindow;
            breakerMinimumCalls = s.breakerMinimumCalls;
            breakerOpenWait = s.breakerOpenWait;
            idleConnectionTimeout = s.idleConnectionTimeout;
            quotaProbeInterval = s.quotaProbeInterval;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration d) {
            readTimeout = positive(d, "readTimeout");
            return this;
        }

        public Builder writeTimeout(Duration d) {
            writeTimeout = positive(d, "writeTimeout");
            return this;
        }

        public Builder callTimeout(Duration d) {
            callTimeout = positive(d, "callTimeout");
            return this;
        }

        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024, got " + bytes);
            }
            maxResponseBytes = bytes;
            return this;
        }

        /** Attempts per request, the first included; 1 disables retries. */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, got " + attempts);
            }
            maxAttempts = attempts;
            return this;
        }

        public Builder backoff(Duration base, Duration cap) {
            positive(base, "backoff base");
            positive(cap, "backoff cap");
            if (cap.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff cap " + cap + " is below its base " + base);
            }
            backoffBase = base;
            backoffCap = cap;
            return this;
        }

        /** The most a call may spend waiting (budget, server waits, backoff) before it fails as rate limited. */
        public Builder maxTotalWait(Duration d) {
            Objects.requireNonNull(d, "maxTotalWait");
            if (d.isNegative()) {
                throw new IllegalArgumentException("maxTotalWait must not be negative, got " + d);
            }
            maxTotalWait = d;
            return this;
        }

        /**
         * @param failureRatePercent failure rate that opens the breaker, 1 to 100
         * @param window calls the rate is computed over
         * @param minimumCalls calls needed before the rate counts
         * @param openWait how long it stays open before letting trial calls through
         */
        public Builder circuitBreaker(float failureRatePercent, int window, int minimumCalls, Duration openWait) {
            if (failureRatePercent <= 0 || failureRatePercent > 100 || window < 1 || minimumCalls < 1) {
                throw new IllegalArgumentException(
                        "circuit breaker needs 0 < rate <= 100, window >= 1, minimumCalls >= 1");
            }
            breakerFailureRate = failureRatePercent;
            breakerWindow = window;
            breakerMinimumCalls = minimumCalls;
            breakerOpenWait = positive(openWait, "openWait");
            return this;
        }

        /**
         * How long a pooled connection may sit idle before it is closed; 4 s by default. Keep it below the
         * vendor's (or its proxy's) keep-alive timeout: a request written into a connection the server has
         * just closed fails, and for a request that is not safe to repeat the outcome is then unknown.
         */
        public Builder idleConnectionTimeout(Duration d) {
            idleConnectionTimeout = positive(d, "idleConnectionTimeout");
            return this;
        }

        /**
         * While a vendor's quota is spent (a daily limit) and its announced reset is further away than
         * this, one request per interval is let through to test whether the vendor lifted it early; the
         * others keep failing fast. 15 minutes by default.
         */
        public Builder quotaProbeInterval(Duration d) {
            quotaProbeInterval = positive(d, "quotaProbeInterval");
            return this;
        }

        public HttpSettings build() {
            return new HttpSettings(this);
        }
    }
}
