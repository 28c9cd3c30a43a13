package io.gridpush.cache;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Each lane publishes a version of a key at most once: in a cluster, Infinispan may notify a
 * clustered listener of one write more than once when a topology change makes the primary owner retry
 * it (seen as the same change reaching every watcher three times). A lane remembers the last version it
 * published of its {@link #DEDUPE_KEYS} most recently changed keys and drops an event that is not newer;
 * a retried write is notified within moments of the first, well inside that window.</p>
 *
 * <p>A change that cannot be published (the publisher failed, the hand-off was interrupted) is not
 * dropped silently: the {@link ChangePublisher#lost} policy tells its watchers to re-sync.</p>
 */
public final class EventLanes extends AbstractLifeCycle {
    private static final Logger LOG = LoggerFactory.getLogger(EventLanes.class);
    private static final CacheChange STOP = new CacheChange("", "", null, null, 0);
    /** Per lane; about 100 bytes each, so two lanes hold at most a few MB. */
    static final int DEDUPE_KEYS = 16_384;
    private final int laneCount;
    private final int capacity;
    private final ChangePublisher sink;
    /** Copy-on-write: read by {@link #lagNanos} from any thread while a start or stop changes it. */
    private final List<BlockingQueue<Queued>> queues = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** A change waiting in a lane, and since when (nanoTime), for the writer back-pressure rule. */
    private record Queued(CacheChange change, long at) {
    }

    public EventLanes(int laneCount, int capacity, ChangePublisher sink) {
        this.laneCount = laneCount;
        this.capacity = capacity;
        this.sink = sink;
    }

    /** Called on the Infinispan listener thread (the writer's). */
    public void submit(CacheChange change) {
        BlockingQueue<Queued> queue = queues.get(Math.floorMod(change.key().hashCode(), laneCount));
        try {
            queue.put(new Queued(change, System.nanoTime()));
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            LOG.warn("Interrupted while handing off {}; its watchers are told to re-sync", change);
            sink.lost(change, "interrupted");
        }
    }

    @Override
    protected void doStart() {
        for (int i = 0; i < laneCount; ++i) {
            BlockingQueue<Queued> queue = new ArrayBlockingQueue<>(capacity);
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
        for (BlockingQueue<Queued> queue : queues) {
            queue.put(new Queued(STOP, System.nanoTime()));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
        queues.clear();
        threads.clear();
    }

    /**
     * How long the oldest change still waiting in any lane has waited, in nanoseconds (0 when every lane is
     * empty). For the writer back-pressure rule. Any thread.
     */
    public long lagNanos() {
        long now = System.nanoTime();
        long lag = 0;
        for (BlockingQueue<Queued> queue : queues) {
            Queued oldest = queue.peek();
            if (oldest != null) {
                lag = Math.max(lag, now - oldest.at());
            }
        }
        return lag;
    }

    private void drain(BlockingQueue<Queued> queue) {
        Map<String, Long> published = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > DEDUPE_KEYS;
            }
        };
        while (true) {
            CacheChange change;
            try {
                change = queue.take().change();
            } catch (InterruptedException x) {
                return;
            }
            if (change == STOP) {
                return;
            }
            String id = change.cache() + '\u0000' + change.key();
            Long last = published.get(id);
            if (last != null && change.version() <= last) {
                LOG.debug("Dropped {}: version {} of this key was published already", change, last);
                continue;
            }
            published.put(id, change.version());
            LOG.debug("Publishing {}", change);
            try {
                sink.publish(change);
            } catch (RuntimeException x) {
                LOG.warn("Could not publish {} ({}); its watchers are told to re-sync", change, x.toString());
                LOG.debug("Publish failure", x);
                sink.lost(change, "publish_failed");
            }
        }
    }
}
