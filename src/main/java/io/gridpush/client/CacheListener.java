package io.gridpush.client;

/** Receives the events of a watch. Threads: called on the CometD client's thread, one event at a time per watch. */
@FunctionalInterface
public interface CacheListener {
    void onEvent(CacheEvent event);
}
