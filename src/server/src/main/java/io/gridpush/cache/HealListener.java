package io.gridpush.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.infinispan.AdvancedCache;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.PartitionStatusChanged;
import org.infinispan.notifications.cachelistener.event.PartitionStatusChangedEvent;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.infinispan.topology.CacheTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache that becomes available again after a partition (this node was in a minority, and the
 * partitions merged) missed the changes the majority made meanwhile: the clustered listener of this node
 * was not in their view, and the merge's conflict resolution installs the surviving values without
 * notifying listeners. So every watcher of the cache on this node is told to re-sync, once the merge's
 * rebalance (which includes the conflict resolution) is over: a snapshot read earlier, right when the cache
 * turned available, still showed this node's stale copies (found by PartitionTest).
 *
 * <p>Threads: Infinispan's notification thread, then a delayed executor that polls the rebalance every
 * {@link #POLL_MS} for at most {@link #MAX_WAIT_MS}; the publisher only enqueues deliveries.</p>
 */
@Listener(sync = false)
final class HealListener {
    private static final Logger LOG = LoggerFactory.getLogger(HealListener.class);
    private static final long POLL_MS = 200;
    private static final long MAX_WAIT_MS = 120_000;
    private static final int STABLE_POLLS = 5;
    private final ChangePublisher publisher;

    HealListener(ChangePublisher publisher) {
        this.publisher = publisher;
    }

    @PartitionStatusChanged
    public void changed(PartitionStatusChangedEvent<?, ?> event) {
        if (!event.isPre() && event.getAvailabilityMode() == AvailabilityMode.AVAILABLE) {
            whenRebalanced(event.getCache().getAdvancedCache(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS), -1, 0);
        }
    }

    /**
     * Settled means: no rebalance or conflict resolution under way, and the same topology for
     * {@link #STABLE_POLLS} polls in a row; the merge's topologies follow the availability change, not
     * precede it, so an early "no rebalance" alone is not enough.
     */
    private void whenRebalanced(AdvancedCache<?, ?> cache, long deadline, int lastTopology, int stablePolls) {
        var distribution = cache.getDistributionManager();
        boolean running = cache.getStatus().allowInvocations();
        int topology = running && distribution != null ? distribution.getCacheTopology().getTopologyId() : -1;
        boolean quiet = !running || distribution == null
            || (!distribution.isRehashInProgress() && distribution.getCacheTopology().getPhase() == CacheTopology.Phase.NO_REBALANCE);
        int stable = quiet && topology == lastTopology ? stablePolls + 1 : 0;
        boolean settled = stable >= STABLE_POLLS;
        if (settled || System.nanoTime() > deadline) {
            if (!settled) {
                LOG.warn("Cache '{}' is still rebalancing {} ms after the merge; its watchers re-sync now", cache.getName(), MAX_WAIT_MS);
            }
            if (cache.getStatus().allowInvocations()) {
                publisher.lostAll(cache.getName(), "partition_healed");
            }
            return;
        }
        CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS).execute(() -> whenRebalanced(cache, deadline, topology, stable));
    }
}
