package io.gridpush.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A hybrid logical clock that issues key versions: {@code (millis since 2025-01-01) << 12} plus a
 * logical counter. Versions stay below 2^53 until about 2094, so JavaScript clients compare them exactly.
 *
 * <p>Every version this node sees (its own writes and every event from the listener) is observed, so a
 * version it issues later is above all of them, including the versions implied by removes and expiries
 * ({@code v + 1}, see {@link #observe}).</p>
 */
public final class VersionClock {
    private static final long EPOCH_MILLIS = 1_735_689_600_000L;
    private static final int LOGICAL_BITS = 12;
    private final AtomicLong last = new AtomicLong();
    private final LongSupplier millis;

    public VersionClock() {
        this(System::currentTimeMillis);
    }

    VersionClock(LongSupplier millis) {
        this.millis = millis;
    }

    /** Returns a version greater than {@code after} and than every version issued or observed so far. */
    public long next(long after) {
        long physical = (millis.getAsLong() - EPOCH_MILLIS) << LOGICAL_BITS;
        return last.accumulateAndGet(after, (prev, floor) -> Math.max(physical, Math.max(prev, floor) + 1));
    }

    /**
     * Records a version seen elsewhere. It also reserves {@code version + 1}: that is the version given to the
     * expiry of an entry whose last write was {@code version}, and no later write may reuse it.
     */
    public void observe(long version) {
        last.accumulateAndGet(version + 1, Math::max);
    }
}
