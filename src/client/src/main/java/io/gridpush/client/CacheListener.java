package io.gridpush.client;

/**
 * Receives the events of a watch. Threads: called on a CometD client thread, one event at a time per
 * watch; possibly on the thread that called an operation (Jetty's HttpClient may process a fast reply
 * inline), so a listener must not block waiting for another operation's result.
 */
@FunctionalInterface
public interface CacheListener {
    void onEvent(CacheEvent event);
}
