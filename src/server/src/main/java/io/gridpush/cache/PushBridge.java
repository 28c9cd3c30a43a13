package io.gridpush.cache;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * Connects Infinispan to Bayeux while the gateway runs: a {@link ChangeListener} on every exposed cache,
 * feeding {@link EventLanes} that publish through the {@link ChangePublisher}. Started after the Bayeux
 * server, stopped before it, so no event is published into a server that is not there.
 */
@Singleton
public final class PushBridge extends ContainerLifeCycle {
    private final InfinispanService infinispan;
    private final GatewayConfig config;
    private final EventLanes lanes;
    private final ChangeListener listener;
    private final HealListener healed;
    private final KeyIndex index;

    @Inject
    public PushBridge(InfinispanService infinispan, GatewayConfig config, VersionClock clock, ChangePublisher publisher, KeyIndex index) {
        this.index = index;
        this.infinispan = infinispan;
        this.config = config;
        this.lanes = new EventLanes(config.events().lanes(), config.events().laneCapacity(), publisher);
        this.listener = new ChangeListener(clock, lanes, index);
        this.healed = new HealListener(publisher);
        addBean(lanes);
    }

    /** How far behind the publishing lanes are, in nanoseconds (0 when they keep up). Any thread. */
    public long laneLagNanos() {
        return lanes.lagNanos();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        for (String name : config.caches().keySet()) {
            infinispan.cache(name).addListener(listener);
            infinispan.cache(name).addListener(healed);
            // After the listener: a change made during the scan is in the index either way.
            index.load(infinispan.cache(name));
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (String name : config.caches().keySet()) {
            infinispan.cache(name).removeListener(listener);
            infinispan.cache(name).removeListener(healed);
            index.unload(name);
        }
        // Stopping the lanes publishes what they already hold.
        super.doStop();
    }
}
