package io.gridpush.cache;

/**
 * What gridpush keeps in Infinispan for one key: the value's JSON text and its version.
 *
 * <p>A removed key keeps a tombstone ({@code json == null}) for a configured lifespan, so that the
 * remove's version lives with the key: a later re-create, on any node, is versioned above it.</p>
 */
public record StoredEntry(String json, long version) {
    public static StoredEntry tombstone(long version) {
        return new StoredEntry(null, version);
    }

    public boolean isLive() {
        return json != null;
    }

    /** The version of a live entry, or -1 when there is none (absent or removed). */
    public static long versionOf(StoredEntry entry) {
        return entry == null ? -1 : entry.version;
    }

    public static boolean isLive(StoredEntry entry) {
        return entry != null && entry.isLive();
    }
}
