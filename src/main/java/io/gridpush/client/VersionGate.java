package io.gridpush.client;

import io.gridpush.protocol.EventType;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of the version rule, per watch. An event with a version is applied only if it is newer
 * than the last one applied for its key. A {@code snapshot} with {@code found: false} has no version: it
 * is applied only if nothing was applied for the key since the (re)subscription, because any change after
 * it would also have arrived as an event.
 *
 * <p>Threads: called from CometD's client threads; synchronized because a re-subscription may overlap
 * the delivery of a late event.</p>
 */
final class VersionGate {
    private final Map<String, KeyState> keys = new HashMap<>();

    /** Starts a re-sync: snapshots are about to arrive again. */
    synchronized void resync() {
        keys.values().forEach(state -> state.appliedSinceSync = false);
    }

    synchronized boolean admit(CacheEvent event) {
        if (event.type() == EventType.SNAPSHOT_END || event.type() == EventType.RESYNC || event.key() == null) {
            return true;
        }
        KeyState state = keys.computeIfAbsent(event.key(), k -> new KeyState());
        if (event.type() == EventType.SNAPSHOT && !event.found()) {
            return !state.appliedSinceSync;
        }
        if (event.version() <= state.version) {
            return false;
        }
        state.version = event.version();
        state.appliedSinceSync = true;
        return true;
    }

    private static final class KeyState {
        long version = -1;
        boolean appliedSinceSync;
    }
}
