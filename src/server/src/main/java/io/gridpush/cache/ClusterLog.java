package io.gridpush.cache;

import java.util.ArrayList;
import java.util.List;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.PartitionStatusChanged;
import org.infinispan.notifications.cachelistener.event.PartitionStatusChangedEvent;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what an operator of a cluster needs to see at the shipped log level: who joined and left, merges,
 * and each cache's availability (a minority partition turns {@code DEGRADED_MODE} and answers
 * {@code unavailable}). Registered on the cache manager and on every exposed clustered cache.
 *
 * <p>Threads: Infinispan's notification threads; it only logs.</p>
 */
@Listener
final class ClusterLog {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLog.class);

    @ViewChanged
    public void viewChanged(ViewChangedEvent event) {
        if (event instanceof MergeEvent) {
            return;
        }
        LOG.info("Cluster view {}: joined {}, left {}; members {}", event.getViewId(),
            difference(event.getNewMembers(), event.getOldMembers()), difference(event.getOldMembers(), event.getNewMembers()),
            event.getNewMembers());
    }

    @Merged
    public void merged(MergeEvent event) {
        LOG.warn("Cluster partitions merged into view {}: subgroups {}; members {}", event.getViewId(), event.getSubgroupsMerged(),
            event.getNewMembers());
    }

    @PartitionStatusChanged
    public void partitionStatus(PartitionStatusChangedEvent<?, ?> event) {
        if (!event.isPre()) {
            LOG.warn("Cache '{}' is now {}", event.getCache().getName(), event.getAvailabilityMode());
        }
    }

    private static List<Address> difference(List<Address> from, List<Address> minus) {
        List<Address> result = new ArrayList<>(from);
        result.removeAll(minus);
        return result;
    }
}
