package io.gridpush.client;

/**
 * The result of a write. {@code applied} tells whether a conditional write took place (always true for
 * {@code put}); {@code version} is the version of the entry now present (-1 if none); {@code previous}
 * is the replaced entry of a {@code put}, or null.
 */
public record WriteResult(boolean applied, long version, Entry previous) {
}
