package io.gridpush.cache;

import io.gridpush.config.ConfigLoader.ConfigError;
import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.List;
import java.util.Properties;
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
    private volatile JoinWatch joinWatch;

    @Inject
    public InfinispanService(GatewayConfig config) {
        this.config = config;
    }

    @Override
    protected void doStart() throws IOException {
        LOG.info("Infinispan configuration: {}", config.infinispanConfig());
        // System properties first, so -D still works for properties of the user's own XML; gridpush's
        // cluster settings override them, as the one place that sets what the shipped XML uses.
        Properties properties = new Properties();
        properties.putAll(System.getProperties());
        properties.putAll(config.cluster().properties());
        ConfigurationBuilderHolder holder = new ParserRegistry(getClass().getClassLoader(), false, properties).parse(config.infinispanConfig());
        DefaultCacheManager started = new DefaultCacheManager(holder, false);
        ClusterLog clusterLog = new ClusterLog();
        started.addListener(clusterLog);
        started.start();
        for (String name : config.caches().keySet()) {
            if (!started.cacheExists(name) && !started.getCacheConfigurationNames().contains(name)) {
                started.stop();
                throw new ConfigError("caches." + name + " is exposed but " + config.infinispanConfig() +
                    " defines no cache '" + name + "'; add <local-cache name=\"" + name + "\"/> (or a clustered one) there, or remove it from caches");
            }
        }
        manager = started;
        if (started.getCacheManagerConfiguration().isClustered()) {
            for (String name : config.caches().keySet()) {
                started.getCache(name).addListener(clusterLog);
            }
            LOG.info("Joined Infinispan cluster '{}' as {} (JGroups on {}:{}, members contacted {}); members {}", started.getClusterName(),
                started.getAddress(), config.cluster().bindAddress(), config.cluster().port(), config.cluster().members(), started.getMembers());
            joinWatch = new JoinWatch(started, config.caches().keySet(), config.cluster().stateTransferTimeout());
        }
    }

    /** The exposed caches that have not yet received their share of the data since this node joined. */
    public List<String> joining() {
        JoinWatch watch = joinWatch;
        return watch == null ? List.of() : watch.joining();
    }

    /**
     * Whether the node can serve: Infinispan runs, every exposed cache is available (a clustered cache
     * in a minority partition is not, under DENY_READ_WRITES) and holds its share of the data.
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
        return joining().isEmpty();
    }

    @Override
    protected void doStop() {
        EmbeddedCacheManager stopping = manager;
        manager = null;
        JoinWatch watch = joinWatch;
        joinWatch = null;
        if (watch != null) {
            watch.close();
        }
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
