package io.gridpush.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands changes off from Infinispan's listener thread to a few publishing threads ("lanes").
 *
 * <p>A key always maps to the same lane and each lane is one thread with a FIFO queue, so the events
 * of one key are published in the order the listener saw them (which is version order, as Infinispan
 * notifies while it still holds the key's lock). A writer only waits here when its lane's queue is
 * full, which bounds memory when publishing falls behind.</p>
 */
public final class EventLanes extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(EventLanes.class);
    private static final CacheChange STOP = new CacheChange("", "", null, null, 0);
    private final int laneCount;
    private final int capacity;
    private final Consumer<CacheChange> sink;
    private final List<BlockingQueue<CacheChange>> queues = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    public EventLanes(int laneCount, int capacity, Consumer<CacheChange> sink) {
        this.laneCount = laneCount;
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Called on the Infinispan listener thread (the writer's). */
    public void submit(CacheChange change) {
        BlockingQueue<CacheChange> queue = queues.get(Math.floorMod(change.key().hashCode(), laneCount));
        try {
            queue.put(change);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while handing off {}; it is not pushed", change);
        }
    }

    @Override
    protected void doStart() {
        for (int i = 0; i < laneCount; ++i) {
            BlockingQueue<CacheChange> queue = new ArrayBlockingQueue<>(capacity);
            Thread thread = new Thread(() -> drain(queue), "gridpush-lane-" + i);
            thread.setDaemon(true);
            queues.add(queue);
            threads.add(thread);
            thread.start();
        }
    }

    /** Publishes what is already queued, then stops. */
    @Override
    protected void doStop() throws InterruptedException {
        for (BlockingQueue<CacheChange> queue : queues) {
            queue.put(STOP);
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        queues.clear();
        threads.clear();
    }

    private void drain(BlockingQueue<CacheChange> queue) {
        while (true) {
            CacheChange change;
            try {
                change = queue.take();
            } catch (InterruptedException x) {
                return;
            }
            if (change == STOP) {
                return;
            }
            try {
                sink.accept(change);
            } catch (Throwable x) {
                LOG.warn("Could not publish {}", change, x);
            }
        }
    }
}
