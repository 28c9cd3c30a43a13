package io.gridpush.security;

/**
 * A token bucket: {@code perSecond} tokens a second, holding at most {@code perSecond} (the burst).
 * Thread-safe; a negative rate means no limit.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    public RateLimiter(int perSecond) {
        this.perNano = perSecond / 1e9;
        this.capacity = perSecond;
        this.tokens = perSecond;
        this.last = System.nanoTime();
    }

    public synchronized boolean tryAcquire() {
        if (capacity < 0) {
            return true;
        }
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
