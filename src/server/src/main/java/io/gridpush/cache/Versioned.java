package io.gridpush.cache;

/** A live value with its version, as read from a cache; {@code json} is the value's JSON text. */
public record Versioned(String key, String json, long version) {
    static Versioned of(String key, StoredEntry entry) {
        return StoredEntry.isLive(entry) ? new Versioned(key, entry.json(), entry.version()) : null;
    }
}
