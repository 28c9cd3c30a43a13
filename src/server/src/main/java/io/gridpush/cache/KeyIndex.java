package io.gridpush.cache;

import io.gridpush.protocol.EventType;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;

/**
 * The live keys of each exposed cache, in key order, on every node: what makes a page of {@code entries}
 * (and a wildcard snapshot) cost O(page) instead of a scan of the whole cache per page, and so a paged
 * re-sync of N entries O(N) instead of O(N²/page).
 *
 * <p>Filled once by a scan when the push bridge starts, then kept by the {@link ChangeListener}, which as a
 * clustered listener sees every change of the cluster on every node. Each key keeps the version of the
 * last change applied, so a late, older event cannot remove a key a newer one created. The index is only
 * ever used to choose which keys to read: the values come from the cache, and a key the index still
 * holds but the cache no longer has live is skipped. About 100 bytes per key (a skip-list node and the
 * key), about 100 MB per million keys.</p>
 *
 * <p>Threads: applied on Infinispan's listener threads, read by operation threads; lock-free.</p>
 */
@Singleton
public final class KeyIndex {
    private final Map<String, NavigableMap<String, Long>> caches = new ConcurrentHashMap<>();
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();

    /** Scans {@code cache} once; changes applied meanwhile keep their versions. */
    void load(Cache<String, StoredEntry> cache) {
        NavigableMap<String, Long> keys = keys(cache.getName());
        try (CloseableIterator<Map.Entry<String, StoredEntry>> it = cache.entrySet().iterator()) {
            while (it.hasNext()) {
                Map.Entry<String, StoredEntry> entry = it.next();
                if (entry.getValue().isLive()) {
                    long version = entry.getValue().version();
                    keys.merge(entry.getKey(), version, Math::max);
                }
            }
        }
        loaded.add(cache.getName());
    }

    void unload(String cache) {
        loaded.remove(cache);
        caches.remove(cache);
    }

    /** Threads: the listener's. */
    void apply(CacheChange change) {
        NavigableMap<String, Long> keys = keys(change.cache());
        if (change.type() == EventType.CREATED || change.type() == EventType.MODIFIED) {
            keys.merge(change.key(), change.version(), Math::max);
        } else {
            keys.computeIfPresent(change.key(), (key, version) -> version < change.version() ? null : version);
        }
    }

    /** The indexed keys of {@code cache} after {@code after} (all when null), or null until the index is loaded. */
    NavigableMap<String, Long> after(String cache, String after) {
        if (!loaded.contains(cache)) {
            return null;
        }
        NavigableMap<String, Long> keys = keys(cache);
        return after == null ? keys : keys.tailMap(after, false);
    }

    private NavigableMap<String, Long> keys(String cache) {
        return caches.computeIfAbsent(cache, c -> new ConcurrentSkipListMap<>());
    }
}
