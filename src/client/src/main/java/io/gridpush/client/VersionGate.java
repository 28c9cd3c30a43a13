package io.gridpush.client;

import io.gridpush.protocol.EventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the version rule, per watch. An event with a version is applied only if it is newer
 * than the last one applied for its key. A {@code snapshot} with {@code found: false} has no version: it
 * is applied only if nothing was applied for the key since the (re)subscription, because any change after
 * it would also have arrived as an event; one that carries the remove's version (gridpush's addition) is
 * ordered like any other event.
 *
 * <p>It also knows which keys a re-sync mentioned, so that once a re-sync is complete the keys shown as
 * present that it did not mention can be reported gone (their removal was in a dropped backlog).</p>
 *
 * <p>Threads: called from CometD's client threads; synchronized because a re-subscription may overlap
 * the delivery of a late event.</p>
 */
final class VersionGate {
    private final Map<String, KeyState> keys = new HashMap<>();

    /** Starts a re-sync: snapshots are about to arrive again. */
    synchronized void resync() {
        keys.values().forEach(state -> {
            state.appliedSinceSync = false;
            state.appliedSinceListing = false;
            state.snapshotted = false;
        });
    }

    /**
     * The rest of a truncated snapshot is about to be listed by paging. What was applied before this may
     * predate the re-sync (an event already on its way when the gateway dropped the backlog), so only what
     * the listing mentions, or what is applied from now on, proves that a key still exists.
     */
    synchronized void startListing() {
        keys.values().forEach(state -> state.appliedSinceListing = false);
    }

    synchronized boolean admit(CacheEvent event) {
        if (event.type() == EventType.SNAPSHOT_END || event.type() == EventType.RESYNC || event.key() == null) {
            return true;
        }
        KeyState state = keys.computeIfAbsent(event.key(), k -> new KeyState());
        if (event.type() == EventType.SNAPSHOT) {
            state.snapshotted = true;
        }
        // A found: false snapshot with the remove's version (an addition to the contract) is ordered like
        // any event: it also refuses a late event of an older connection that would bring the key back.
        if (event.type() == EventType.SNAPSHOT && !event.found() && event.version() < 0) {
            if (state.appliedSinceSync) {
                return false;
            }
            state.present = false;
            return true;
        }
        if (event.version() <= state.version) {
            return false;
        }
        state.version = event.version();
        state.appliedSinceSync = true;
        state.appliedSinceListing = true;
        state.present = event.present();
        return true;
    }

    /**
     * Keys shown as present that the re-sync just completed did not mention: they are gone. Their last
     * applied version stays: anything the gateway says of them next is newer than that.
     */
    synchronized List<String> vanished() {
        List<String> gone = new ArrayList<>();
        keys.forEach((key, state) -> {
            if (state.present && !state.snapshotted && !state.appliedSinceListing) {
                // The removal's version is unknown, but above the last one applied: keep that, so a late
                // event of an older connection cannot bring the key back; a re-create is versioned higher.
                state.present = false;
                gone.add(key);
            }
        });
        return gone;
    }

    private static final class KeyState {
        long version = -1;
        boolean appliedSinceSync;
        boolean appliedSinceListing;
        boolean snapshotted;
        boolean present;
    }
}
