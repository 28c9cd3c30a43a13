package io.gridpush.cache;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.protocol.KeySegments;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;

/**
 * The operations on one exposed cache, used both by the Bayeux operation handlers and by Java code that
 * embeds gridpush; every write made through it is pushed like any other.
 *
 * <p>Each write is a compare-and-set (Infinispan's {@code putIfAbsent} / {@code replace(k, old, new)})
 * of a {@link StoredEntry} whose version is above the one it replaces. A lost race retries with the
 * newer entry, so versions of one key only grow, whichever node writes.</p>
 */
public final class GridCache {
    /** A lost compare-and-set means another writer won, so retrying this often only fails under absurd contention. */
    private static final int MAX_ATTEMPTS = 1000;
    private static final long NONE = -1;
    private final Cache<String, StoredEntry> cache;
    private final VersionClock clock;
    private final JsonValues values;
    private final long tombstoneLifespanMs;
    private final KeyIndex index;

    GridCache(Cache<String, StoredEntry> cache, VersionClock clock, JsonValues values, long tombstoneLifespanMs, KeyIndex index) {
        this.index = index;
        this.cache = cache;
        this.clock = clock;
        this.values = values;
        this.tombstoneLifespanMs = tombstoneLifespanMs;
    }

    public String name() {
        return cache.getName();
    }

    /** The live value of {@code key}, or null when it has none. */
    public Versioned get(String key) {
        return Unavailable.guard(() -> Versioned.of(key, cache.get(validKey(key))));
    }

    /**
     * The key as a snapshot tells it, in one read: its live value, or, when it has none but was removed
     * within versions.tombstoneLifespan, the remove's version (else -1). A client that records that version
     * can refuse a late event of an older connection that would bring the removed key back.
     */
    public Lookup lookup(String key) {
        return Unavailable.guard(() -> {
            StoredEntry entry = cache.get(validKey(key));
            Versioned live = Versioned.of(key, entry);
            return new Lookup(live, live == null ? StoredEntry.versionOf(entry) : live.version());
        });
    }

    /** The live values of {@code keys}, in the same order, with null where a key has none. */
    public List<Versioned> getAll(List<String> keys) {
        return Unavailable.guard(() -> {
            keys.forEach(GridCache::validKey);
            Map<String, StoredEntry> found = cache.getAdvancedCache().getAll(new HashSet<>(keys));
            List<Versioned> result = new ArrayList<>(keys.size());
            for (String key : keys) {
                result.add(Versioned.of(key, found.get(key)));
            }
            return result;
        });
    }

    /** Stores {@code value} for good (no lifespan, no idle limit). */
    public PutResult put(String key, Object value) {
        return put(key, value, NONE, NONE);
    }

    /** Stores {@code value}; {@code lifespanMs} and {@code maxIdleMs} are ignored when not positive. */
    public PutResult put(String key, Object value, long lifespanMs, long maxIdleMs) {
        return Unavailable.guard(() -> {
            String json = values.toJson(value);
            validKey(key);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; ++attempt) {
                StoredEntry old = cache.get(key);
                StoredEntry next = StoredEntry.value(json, clock.next(StoredEntry.versionOf(old)), old);
                if (swap(key, old, next, lifespanMs, maxIdleMs)) {
                    return new PutResult(next.version(), Versioned.of(key, old));
                }
            }
            throw contended(key);
        });
    }

    /** Stores {@code value} only if {@code key} has no live value. */
    public ConditionalResult putIfAbsent(String key, Object value, long lifespanMs) {
        return Unavailable.guard(() -> {
            String json = values.toJson(value);
            validKey(key);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; ++attempt) {
                StoredEntry old = cache.get(key);
                if (StoredEntry.isLive(old)) {
                    return new ConditionalResult(false, old.version());
                }
                StoredEntry next = StoredEntry.value(json, clock.next(StoredEntry.versionOf(old)), old);
                if (swap(key, old, next, lifespanMs, NONE)) {
                    return new ConditionalResult(true, next.version());
                }
            }
            throw contended(key);
        });
    }

    /** Stores {@code value} only if the live version of {@code key} is {@code ifVersion}. */
    public ConditionalResult replace(String key, Object value, long ifVersion) {
        return Unavailable.guard(() -> {
            String json = values.toJson(value);
            validKey(key);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; ++attempt) {
                StoredEntry old = cache.get(key);
                if (!StoredEntry.isLive(old) || old.version() != ifVersion) {
                    return new ConditionalResult(false, StoredEntry.isLive(old) ? old.version() : NONE);
                }
                StoredEntry next = StoredEntry.value(json, clock.next(old.version()), old);
                if (swap(key, old, next, NONE, NONE)) {
                    return new ConditionalResult(true, next.version());
                }
            }
            throw contended(key);
        });
    }

    /** Removes {@code key}, only if its live version is {@code ifVersion} when that is not negative. */
    public boolean remove(String key, long ifVersion) {
        return Unavailable.guard(() -> {
            validKey(key);
            for (int attempt = 0; attempt < MAX_ATTEMPTS; ++attempt) {
                StoredEntry old = cache.get(key);
                if (!StoredEntry.isLive(old) || (ifVersion >= 0 && old.version() != ifVersion)) {
                    return false;
                }
                StoredEntry tombstone = StoredEntry.tombstone(clock.next(old.version()));
                if (swap(key, old, tombstone, tombstoneLifespanMs, NONE)) {
                    return true;
                }
            }
            throw contended(key);
        });
    }

    /**
     * One page of live entries in key order, after the opaque cursor {@code after} (null for the first page).
     * Reads the keys of the page from the {@link KeyIndex} and their values with one {@code getAll} per
     * batch: O(page), whatever the size of the cache. Until the index is loaded (the first moments of a
     * start) each page scans the cache once instead, keeping only {@code limit} candidates.
     */
    public Page entries(String after, int limit) {
        return Unavailable.guard(() -> {
            String afterKey = after == null ? null : decodeCursor(after);
            java.util.NavigableMap<String, Long> keys = index.after(name(), afterKey);
            return keys == null ? scanPage(afterKey, limit) : indexedPage(keys, limit);
        });
    }

    /** Up to {@code max} live entries in key order, for a wildcard subscription's snapshot. */
    public Snapshot snapshot(int max) {
        return Unavailable.guard(() -> {
            java.util.NavigableMap<String, Long> keys = index.after(name(), null);
            if (keys == null) {
                return scanSnapshot(max);
            }
            if (max == 0) {
                return new Snapshot(List.of(), !keys.isEmpty());
            }
            Page page = indexedPage(keys, max);
            return new Snapshot(page.entries(), page.next() != null);
        });
    }

    private Page indexedPage(java.util.NavigableMap<String, Long> keys, int limit) {
        List<Versioned> page = new ArrayList<>(Math.min(limit, 1024));
        java.util.Iterator<String> candidates = keys.keySet().iterator();
        String last = null;
        long visited = 0;
        while (page.size() < limit && candidates.hasNext()) {
            // A batch of the keys still wanted; the index may hold a key that is no longer live, which is skipped.
            List<String> batch = new ArrayList<>();
            while (batch.size() < limit - page.size() && candidates.hasNext()) {
                batch.add(candidates.next());
            }
            Map<String, StoredEntry> found = cache.getAdvancedCache().getAll(new HashSet<>(batch));
            visited += batch.size();
            for (String key : batch) {
                Versioned live = Versioned.of(key, found.get(key));
                if (live != null) {
                    page.add(live);
                }
                last = key;
            }
        }
        boolean more = last != null && keys.higherKey(last) != null;
        return new Page(page, more ? encodeCursor(last) : null, visited);
    }

    private Page scanPage(String afterKey, int limit) {
        PriorityQueue<Versioned> page = new PriorityQueue<>(Comparator.comparing(Versioned::key).reversed());
        boolean more = false;
        long scanned = 0;
        try (CloseableIterator<Map.Entry<String, StoredEntry>> it = cache.entrySet().iterator()) {
            while (it.hasNext()) {
                Map.Entry<String, StoredEntry> entry = it.next();
                ++scanned;
                if (!entry.getValue().isLive() || (afterKey != null && entry.getKey().compareTo(afterKey) <= 0)) {
                    continue;
                }
                page.add(Versioned.of(entry.getKey(), entry.getValue()));
                if (page.size() > limit) {
                    page.poll();
                    more = true;
                }
            }
        }
        List<Versioned> sorted = new ArrayList<>(page);
        sorted.sort(Comparator.comparing(Versioned::key));
        String next = more && !sorted.isEmpty() ? encodeCursor(sorted.get(sorted.size() - 1).key()) : null;
        return new Page(sorted, next, scanned);
    }

    private Snapshot scanSnapshot(int max) {
        List<Versioned> entries = new ArrayList<>();
        boolean truncated = false;
        try (CloseableIterator<Map.Entry<String, StoredEntry>> it = cache.entrySet().iterator()) {
            while (it.hasNext()) {
                Map.Entry<String, StoredEntry> entry = it.next();
                if (entry.getValue().isLive()) {
                    if (entries.size() == max) {
                        truncated = true;
                        break;
                    }
                    entries.add(Versioned.of(entry.getKey(), entry.getValue()));
                }
            }
        }
        return new Snapshot(entries, truncated);
    }

    private boolean swap(String key, StoredEntry old, StoredEntry next, long lifespanMs, long maxIdleMs) {
        long lifespan = lifespanMs > 0 ? lifespanMs : NONE;
        long maxIdle = maxIdleMs > 0 ? maxIdleMs : NONE;
        boolean swapped = old == null
            ? cache.putIfAbsent(key, next, lifespan, TimeUnit.MILLISECONDS, maxIdle, TimeUnit.MILLISECONDS) == null
            : cache.replace(key, old, next, lifespan, TimeUnit.MILLISECONDS, maxIdle, TimeUnit.MILLISECONDS);
        if (swapped) {
            clock.observe(next.version());
        }
        return swapped;
    }

    private static String validKey(String key) {
        try {
            KeySegments.validate(key);
            return key;
        } catch (KeySegments.KeyTooLongException x) {
            throw new GridpushException(ErrorCode.TOO_LARGE, x.getMessage());
        } catch (IllegalArgumentException x) {
            throw GridpushException.badRequest(x.getMessage());
        }
    }

    private GridpushException contended(String key) {
        return new GridpushException(ErrorCode.UNAVAILABLE, "key '" + key + "' is too contended; retry");
    }

    private static String encodeCursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException x) {
            throw GridpushException.badRequest("after is not a cursor returned by entries");
        }
    }

    public record PutResult(long version, Versioned previous) {
    }

    /** {@code version} is that of the live entry afterwards, or -1 when there is none. */
    public record ConditionalResult(boolean applied, long version) {
    }

    /** {@code next} is the cursor of the following page, or null on the last page. */
    /**
     * {@code scanned}: the entries read to build the page, for budgets: about the page's size with the key
     * index, the whole cache in the first moments of a start (before the index is loaded).
     */
    public record Page(List<Versioned> entries, String next, long scanned) {
    }

    /** {@code live} null when the key has no value; {@code version} then the removal's, or -1 when unknown. */
    public record Lookup(Versioned live, long version) {
    }

    public record Snapshot(List<Versioned> entries, boolean truncated) {
    }
}
