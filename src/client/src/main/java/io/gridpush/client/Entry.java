package io.gridpush.client;

/** A key's value as read by {@code get}, {@code getAll} or {@code entries}; {@code version} is -1 when not found. */
public record Entry(String key, boolean found, Object value, long version) {
}
