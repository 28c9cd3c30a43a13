package io.gridpush.client;

import java.util.concurrent.ThreadLocalRandom;
import org.cometd.client.BayeuxClient;

/**
 * Reconnect back-off that grows linearly up to a maximum, with "equal jitter": each wait is a random
 * point between half the current back-off and all of it, so that the clients of a restarted node do not
 * all come back in the same instant.
 */
final class JitteredBackOff implements BayeuxClient.BackOffStrategy {
    private final long increment;
    private final long maximum;
    private long backOff;
    private long current;

    JitteredBackOff(long increment, long maximum) {
        this.increment = increment;
        this.maximum = maximum;
    }

    @Override
    public synchronized long current() {
        return current;
    }

    @Override
    public synchronized long next() {
        backOff = Math.min(maximum, backOff + increment);
        current = backOff / 2 + ThreadLocalRandom.current().nextLong(backOff / 2 + 1);
        return current;
    }

    @Override
    public synchronized void reset() {
        backOff = 0;
        current = 0;
    }
}
