package io.gridpush.cache;

import io.gridpush.config.GatewayConfig;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Java API for code that embeds gridpush: {@code grid.cache("scores").put("match-1", Map.of("home", 2))}.
 * Only exposed caches are reachable, and every write is pushed to subscribers like a client's.
 */
@Singleton
public final class Grid {
    private final InfinispanService infinispan;
    private final GatewayConfig config;
    private final VersionClock clock;
    private final KeyIndex index;
    private final JsonValues values;
    private final Map<String, GridCache> caches = new ConcurrentHashMap<>();

    @Inject
    public Grid(InfinispanService infinispan, GatewayConfig config, VersionClock clock, KeyIndex index) {
        this.index = index;
        this.infinispan = infinispan;
        this.config = config;
        this.clock = clock;
        this.values = new JsonValues(config.limits().valueBytes());
    }

    /** The exposed cache {@code name}; throws {@code unknown_cache} for any other name. */
    public GridCache cache(String name) {
        if (!isExposed(name)) {
            throw new GridpushException(ErrorCode.UNKNOWN_CACHE, "cache '" + name + "' is not exposed");
        }
        return caches.computeIfAbsent(name, n ->
            new GridCache(infinispan.cache(n), clock, values, config.versions().tombstoneLifespan().toMillis(), index));
    }

    public boolean isExposed(String name) {
        return name != null && config.caches().containsKey(name);
    }

    public Set<String> cacheNames() {
        return config.caches().keySet();
    }
}
