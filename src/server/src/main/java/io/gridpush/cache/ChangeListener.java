package io.gridpush.cache;

import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryExpired;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryCreatedEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryExpiredEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryModifiedEvent;
import org.infinispan.notifications.cachelistener.event.CacheEntryRemovedEvent;

/**
 * The bridge from Infinispan to Bayeux: turns every created, modified, removed and expired entry of an
 * exposed cache into a {@link CacheChange} and hands it to the {@link EventLanes}.
 *
 * <p>Threads: a synchronous, post-event listener, so each method runs on the writer's thread while
 * Infinispan holds the key's lock, which gives one order per key. It must not block: it only classifies
 * the event, records the version in the {@link VersionClock} and the key in the {@link KeyIndex}, and enqueues.</p>
 */
@Listener(clustered = true, observation = Listener.Observation.POST)
public final class ChangeListener {
    private final VersionClock clock;
    private final EventLanes lanes;
    private final KeyIndex index;

    public ChangeListener(VersionClock clock, EventLanes lanes, KeyIndex index) {
        this.clock = clock;
        this.lanes = lanes;
        this.index = index;
    }

    @CacheEntryCreated
    public void created(CacheEntryCreatedEvent<String, StoredEntry> event) {
        accept(event.getCache().getName(), event.getKey(), null, event.getValue(), false);
    }

    @CacheEntryModified
    public void modified(CacheEntryModifiedEvent<String, StoredEntry> event) {
        accept(event.getCache().getName(), event.getKey(), event.getOldValue(), event.getNewValue(), false);
    }

    @CacheEntryRemoved
    public void removed(CacheEntryRemovedEvent<String, StoredEntry> event) {
        accept(event.getCache().getName(), event.getKey(), event.getOldValue(), null, false);
    }

    @CacheEntryExpired
    public void expired(CacheEntryExpiredEvent<String, StoredEntry> event) {
        accept(event.getCache().getName(), event.getKey(), event.getValue(), null, true);
    }

    private void accept(String cache, String key, StoredEntry before, StoredEntry after, boolean expired) {
        CacheChange change = CacheChange.classify(cache, key, before, after, expired);
        if (change != null) {
            clock.observe(change.version());
            index.apply(change);
            lanes.submit(change);
        }
    }
}
