package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code limits.handshakesPerSecondPerAddress}, counted at the Bayeux handshake itself, so every way of
 * opening a session counts: a long-polling POST to any path, a WebSocket upgrade, a re-handshake on a
 * WebSocket already open. The per-address buckets are dropped once idle, so the map does not grow with
 * every address ever seen. Thread-safe.
 */
@Singleton
public final class HandshakeRate {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 1024;
    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public HandshakeRate(GatewayConfig config) {
        this.perSecond = config.limits().handshakesPerSecondPerAddress();
    }

    /** Takes one handshake from {@code address}'s bucket; false when the address is over its rate. */
    boolean admits(String address) {
        if (GatewayConfig.Limits.unlimited(perSecond)) {
            return true;
        }
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(new RateLimiter(perSecond)));
        bucket.used = now;
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> now - b.used > IDLE_NANOS);
        }
        return bucket.limiter.tryAcquire();
    }

    int perSecond() {
        return perSecond;
    }

    private static final class Bucket {
        final RateLimiter limiter;
        volatile long used;

        Bucket(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }

    /**
     * A handshake over the rate: the transport answers HTTP 429 or closes the WebSocket with 1013 (try
     * again later), rather than {@code 403::handshake_denied}, whose {@code reconnect: none} would make a
     * client behind a busy shared address give up for good.
     */
    public static final class TooManyHandshakes extends RuntimeException {
        TooManyHandshakes(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
