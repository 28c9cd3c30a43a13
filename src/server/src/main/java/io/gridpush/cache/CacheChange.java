package io.gridpush.cache;

import io.gridpush.protocol.EventType;

/** One change of one key, as the listener saw it; {@code json} is null for removes and expiries. */
public record CacheChange(String cache, String key, EventType type, String json, long version) {
    /**
     * Classifies an Infinispan event by what gridpush stored. Returns null when the event changes nothing a
     * client can see (a tombstone expiring, or an entry leaving the container that was not live).
     *
     * <p>A write ({@code after != null}) is classified by {@code after} alone, whose
     * {@link StoredEntry#replacedLive()} the writer set: {@code before} is not known on every node (see
     * {@link StoredEntry}). An entry leaving the container ({@code after == null}: an expiry, or a raw
     * remove by code that bypassed the Grid API) is classified by {@code before}, which Infinispan sends
     * with expiry events; its version is {@code before.version + 1}, a slot that
     * {@link VersionClock#observe} keeps free.</p>
     */
    public static CacheChange classify(String cache, String key, StoredEntry before, StoredEntry after, boolean expired) {
        if (after == null) {
            return StoredEntry.isLive(before)
                ? new CacheChange(cache, key, expired ? EventType.EXPIRED : EventType.REMOVED, null, before.version() + 1) : null;
        }
        if (!after.isLive()) {
            return after.replacedLive() ? new CacheChange(cache, key, EventType.REMOVED, null, after.version()) : null;
        }
        return new CacheChange(cache, key, after.replacedLive() ? EventType.MODIFIED : EventType.CREATED, after.json(), after.version());
    }
}
