package io.gridpush.client;

import io.gridpush.protocol.EventType;

/**
 * An event of a watched key, after the version rule: a listener never receives an older value after a
 * newer one. {@code value} is the parsed JSON value, or null when the key has none ({@code removed},
 * {@code expired}, a {@code snapshot} with {@code found == false}, and {@code snapshot-end}).
 * {@code version} is -1 where the contract carries none. {@code count} and {@code truncated} are only set
 * on {@code snapshot-end}.
 */
public record CacheEvent(String cache, String key, EventType type, Object value, long version, boolean found,
                         int count, boolean truncated) {
    /** Whether the key has a value after this event. */
    public boolean present() {
        return type != EventType.SNAPSHOT_END && !type.isAbsence() && (type != EventType.SNAPSHOT || found);
    }
}
