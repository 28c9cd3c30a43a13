package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JitteredBackOffTest {
    @Test
    void waitsGrowToTheMaximumWithJitterAndResetToZero() {
        Set<Long> firsts = new HashSet<>();
        for (int client = 0; client < 100; ++client) {
            JitteredBackOff backOff = new JitteredBackOff(1000, 10_000);
            long first = backOff.next();
            assertTrue(first >= 500 && first <= 1000, "first wait " + first);
            firsts.add(first);
            long wait = 0;
            for (int i = 0; i < 20; ++i) {
                wait = backOff.next();
            }
            assertTrue(wait >= 5000 && wait <= 10_000, "capped wait " + wait);
            assertEquals(wait, backOff.current());
            backOff.reset();
            assertEquals(0, backOff.current());
        }
        assertTrue(firsts.size() > 10, "clients do not all wait the same: " + firsts.size() + " distinct first waits");
    }
}
