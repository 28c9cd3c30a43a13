package io.gridpush.cache;

/** Where the push bridge sends changes; the Bayeux side implements it. */
public interface ChangePublisher {
    /** Threads: called on an event lane thread, one lane per key, in version order per key. */
    void publish(CacheChange change);

    /**
     * A change that could not be published: its watchers must not believe they are up to date, so they
     * are told to re-sync (the push path's one policy for a drop). Threads: a lane thread or the writer's.
     */
    void lost(CacheChange change, String why);

    /**
     * Every watcher of {@code cache} on this node may have missed changes (this node was cut off from the
     * cluster and is back): they are all told to re-sync. Threads: an Infinispan notification thread.
     */
    void lostAll(String cache, String why);
}
