package io.gridpush.bayeux;

import io.gridpush.cache.CacheChange;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.JsonValues;
import io.gridpush.cache.Versioned;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import java.util.HashMap;
import java.util.Map;

/** The one home of the shape of event {@code data}, as in the contract's event table. */
public final class EventMessages {
    private EventMessages() {
    }

    static Map<String, Object> change(CacheChange change) {
        Map<String, Object> data = base(change.cache(), change.key(), change.type());
        if (change.json() != null) {
            data.put(Fields.VALUE, JsonValues.literal(change.json()));
        }
        data.put(Fields.VERSION, change.version());
        return data;
    }

    /** A snapshot of one key; {@code entry} null means the key has no value ({@code found: false}). */
    public static Map<String, Object> snapshot(String cache, String key, Versioned entry) {
        Map<String, Object> data = base(cache, key, EventType.SNAPSHOT);
        data.put(Fields.FOUND, entry != null);
        if (entry != null) {
            data.put(Fields.VALUE, JsonValues.literal(entry.json()));
            data.put(Fields.VERSION, entry.version());
        }
        return data;
    }

    /**
     * A key subscription's snapshot. Addition to the contract: a {@code found: false} snapshot of a key
     * removed within versions.tombstoneLifespan carries the remove's {@code version}.
     */
    public static Map<String, Object> snapshot(String cache, String key, GridCache.Lookup lookup) {
        Map<String, Object> data = snapshot(cache, key, lookup.live());
        if (lookup.live() == null && lookup.version() >= 0) {
            data.put(Fields.VERSION, lookup.version());
        }
        return data;
    }

    public static Map<String, Object> snapshotEnd(String cache, int count, boolean truncated) {
        Map<String, Object> data = new HashMap<>(4);
        data.put(Fields.CACHE, cache);
        data.put(Fields.TYPE, EventType.SNAPSHOT_END.wire());
        data.put(Fields.COUNT, count);
        data.put(Fields.TRUNCATED, truncated);
        return data;
    }

    /** A re-sync instruction for a key's subscription, or for a wildcard's when {@code key} is null. */
    public static Map<String, Object> resync(String cache, String key) {
        Map<String, Object> data = new HashMap<>(4);
        data.put(Fields.CACHE, cache);
        if (key != null) {
            data.put(Fields.KEY, key);
        }
        data.put(Fields.TYPE, EventType.RESYNC.wire());
        return data;
    }

    /**
     * The re-sync instruction delivered on {@code channel}: a key channel's names its key; the one for a
     * wildcard subscription goes on the cache's snapshot-end channel ({@link ChannelNames#snapshotEndChannel})
     * and names no key.
     */
    static Map<String, Object> resyncOf(String channel) {
        String wildcardOf = ChannelNames.cacheOfSnapshotEndChannel(channel);
        if (wildcardOf != null) {
            return resync(wildcardOf, null);
        }
        ChannelNames.CacheChannel target = ChannelNames.parse(channel);
        return resync(target.cache(), target.key());
    }

    private static Map<String, Object> base(String cache, String key, EventType type) {
        Map<String, Object> data = new HashMap<>(8);
        data.put(Fields.CACHE, cache);
        data.put(Fields.KEY, key);
        data.put(Fields.TYPE, type.wire());
        return data;
    }
}
