package io.gridpush.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (an address, a caller), each {@code perSecond}. Buckets idle for a minute are
 * dropped once there are many, so the map does not grow with every key ever seen. Thread-safe.
 */
public final class KeyedRates {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private static final int SWEEP_ABOVE = 1024;
    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public KeyedRates(int perSecond) {
        this.perSecond = perSecond;
    }

    /** The bucket of {@code key}, created full on first use. */
    public RateLimiter of(String key) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(new RateLimiter(perSecond)));
        bucket.used = now;
        if (buckets.size() > SWEEP_ABOVE) {
            buckets.values().removeIf(b -> now - b.used > IDLE_NANOS);
        }
        return bucket.limiter;
    }

    public int perSecond() {
        return perSecond;
    }

    private static final class Bucket {
        final RateLimiter limiter;
        volatile long used;

        Bucket(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }
}
