package io.gridpush.cache;

import io.gridpush.config.ConfigLoader.ConfigError;
import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.infinispan.Cache;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.manager.EmbeddedCacheManager;

/** Owns the embedded Infinispan: starts it from {@code infinispan.config} and checks that every exposed cache exists. */
@Singleton
public final class InfinispanService extends AbstractLifeCycle {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InfinispanService.class);
    private final GatewayConfig config;
    private volatile EmbeddedCacheManager manager;

    @Inject
    public InfinispanService(GatewayConfig config) {
        this.config = config;
    }

    @Override
    protected void doStart() throws IOException {
        ConfigurationBuilderHolder holder = new ParserRegistry().parse(config.infinispanConfig());
        DefaultCacheManager started = new DefaultCacheManager(holder, true);
        for (String name : config.caches().keySet()) {
            if (!started.cacheExists(name) && !started.getCacheConfigurationNames().contains(name)) {
                started.stop();
                throw new ConfigError("caches." + name + " is exposed but " + config.infinispanConfig() +
                    " defines no cache '" + name + "'; add <local-cache name=\"" + name + "\"/> (or a clustered one) there, or remove it from caches");
            }
        }
        manager = started;
        if (started.getCacheManagerConfiguration().isClustered()) {
            LOG.info("Joined Infinispan cluster '{}' as {}; members {}", started.getClusterName(), started.getAddress(), started.getMembers());
        }
    }

    /**
     * Whether the node can serve: Infinispan runs and every exposed cache is available (a clustered cache
     * in a minority partition is not, under DENY_READ_WRITES).
     */
    public boolean serving() {
        EmbeddedCacheManager current = manager;
        if (current == null || !isRunning()) {
            return false;
        }
        for (String name : config.caches().keySet()) {
            org.infinispan.AdvancedCache<?, ?> cache = current.getCache(name).getAdvancedCache();
            if (!cache.getStatus().allowInvocations() || cache.getAvailability() != org.infinispan.partitionhandling.AvailabilityMode.AVAILABLE) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doStop() {
        EmbeddedCacheManager stopping = manager;
        manager = null;
        if (stopping != null) {
            stopping.stop();
        }
    }

    /** The running cache of an exposed name; fails fast when called outside the running state. */
    public Cache<String, StoredEntry> cache(String name) {
        EmbeddedCacheManager current = manager;
        if (current == null) {
            throw new IllegalStateException("Infinispan is not running (state " + getState() + "); start the gateway first");
        }
        return current.getCache(name);
    }

    public EmbeddedCacheManager manager() {
        EmbeddedCacheManager current = manager;
        if (current == null) {
            throw new IllegalStateException("Infinispan is not running (state " + getState() + ")");
        }
        return current;
    }
}
