package io.gridpush.cache;

import io.gridpush.protocol.EventType;

/** One change of one key, as the listener saw it; {@code json} is null for removes and expiries. */
public record CacheChange(String cache, String key, EventType type, String json, long version) {
    /**
     * Classifies an Infinispan event by what gridpush stored before and after it. Returns null when the
     * event changes nothing a client can see (a tombstone written over a tombstone, or a tombstone expiring).
     */
    public static CacheChange classify(String cache, String key, StoredEntry before, StoredEntry after, boolean expired) {
        boolean wasLive = StoredEntry.isLive(before);
        if (after == null) {
            // Gone from the container: an expiry, or a raw remove by code that bypassed the Grid API.
            // Its version is before.version + 1, a slot that VersionClock.observe keeps free.
            return wasLive ? new CacheChange(cache, key, expired ? EventType.EXPIRED : EventType.REMOVED, null, before.version() + 1) : null;
        }
        if (!after.isLive()) {
            return wasLive ? new CacheChange(cache, key, EventType.REMOVED, null, after.version()) : null;
        }
        return new CacheChange(cache, key, wasLive ? EventType.MODIFIED : EventType.CREATED, after.json(), after.version());
    }
}
