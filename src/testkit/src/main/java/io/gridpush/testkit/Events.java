package io.gridpush.testkit;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.CacheListener;
import io.gridpush.protocol.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Records what a watch delivers, and waits (bounded) for what a test expects. */
public final class Events implements CacheListener {
    public static final long WAIT_SECONDS = 20;
    private final LinkedBlockingQueue<CacheEvent> queue = new LinkedBlockingQueue<>();
    private final List<CacheEvent> all = new ArrayList<>();

    @Override
    public void onEvent(CacheEvent event) {
        synchronized (all) {
            all.add(event);
        }
        queue.add(event);
    }

    /** The next event; fails the test if none arrives in time. */
    public CacheEvent next() throws InterruptedException {
        CacheEvent event = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + WAIT_SECONDS + " s; so far " + snapshot());
        }
        return event;
    }

    /** The next event of {@code type}, skipping others. */
    public CacheEvent next(EventType type) throws InterruptedException {
        return until(event -> event.type() == type);
    }

    /** Skips events until one matches; fails the test if none does in time. */
    public CacheEvent until(Predicate<CacheEvent> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            CacheEvent event = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                throw new AssertionError("no matching event within " + WAIT_SECONDS + " s; so far " + snapshot());
            }
            if (match.test(event)) {
                return event;
            }
        }
    }

    /** Whether an event arrives within {@code millis}: for asserting that nothing more comes. */
    public CacheEvent poll(long millis) throws InterruptedException {
        return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    public List<CacheEvent> snapshot() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }
}
