package io.gridpush.cache;

/** Where the push bridge sends changes; the Bayeux side implements it. */
public interface ChangePublisher {
    /** Threads: called on an event lane thread, one lane per key, in version order per key. */
    void publish(CacheChange change);
}
