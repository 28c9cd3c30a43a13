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
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /**
     * Takes {@code cost} tokens for work already done, going into debt if need be: work that cannot be
     * refused once it started (a snapshot, a scan) still costs its size, and nothing else is allowed until
     * the debt is paid back at {@code perSecond}.
     */
    public synchronized void charge(long cost) {
        if (capacity < 0) {
            return;
        }
        refill();
        tokens -= cost;
    }

    /** Whether a token is left, without taking it. */
    public synchronized boolean available() {
        if (capacity < 0) {
            return true;
        }
        refill();
        return tokens >= 1;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
    }
}
