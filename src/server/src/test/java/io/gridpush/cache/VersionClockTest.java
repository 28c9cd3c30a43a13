package io.gridpush.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VersionClockTest {
    @Test
    void versionsGrowEvenWhenTheWallClockGoesBack() {
        AtomicLong millis = new AtomicLong(1_800_000_000_000L);
        VersionClock clock = new VersionClock(millis::get);
        long first = clock.next(-1);
        millis.addAndGet(-60_000);
        long second = clock.next(-1);
        assertTrue(second > first, first + " then " + second);
    }

    @Test
    void nextIsAboveTheVersionItReplacesAndAboveReservedExpirySlots() {
        VersionClock clock = new VersionClock(() -> 1_800_000_000_000L);
        long now = clock.next(-1);
        long far = now + 1_000_000;
        assertTrue(clock.next(far) > far);
        clock.observe(far + 10);
        // far + 11 is reserved for the expiry of the entry written at far + 10.
        assertTrue(clock.next(-1) > far + 11);
    }

    @Test
    void versionsAreExactInJavaScript() {
        long version = new VersionClock().next(-1);
        assertTrue(version < (1L << 53), "version " + version + " is not a safe JavaScript integer");
    }
}
