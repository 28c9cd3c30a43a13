package io.gridpush.client;

import io.gridpush.protocol.BayeuxErrors;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;

/**
 * A subscription to one key or one whole cache. Created by {@link RemoteCache#watch} and
 * {@link RemoteCache#watchAll}; re-subscribed (and so re-synced from snapshots) by the client after
 * every re-handshake. {@link #ready()} completes when the first subscription is confirmed.
 */
public final class Watch implements AutoCloseable {
    /** Entries per page when completing a truncated snapshot: at most 100 values of up to 64 KiB per reply. */
    private static final int PAGE = 100;
    private final GridpushClient client;
    private final String channel;
    private final CacheListener listener;
    private final VersionGate gate = new VersionGate();
    private final ClientSessionChannel.MessageListener onMessage = (ch, message) -> onMessage(message);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean closed;
    /** Bumped by every (re)subscription, so that a completion still paging for an older one stops. */
    private final AtomicInteger generation = new AtomicInteger();
    /** Whether a subscription is confirmed or on its way; false after a failed one, which the client retries. */
    private final AtomicBoolean subscribing = new AtomicBoolean();
    /** Resyncs in a row with no snapshot between them back off, so a cache that cannot serve is not hammered. */
    private final JitteredBackOff resyncBackOff = new JitteredBackOff(500, 10_000);
    private final AtomicInteger resyncsInARow = new AtomicInteger();
    /** A delayed re-subscription is waiting; resyncs meanwhile are served by it. */
    private final AtomicBoolean resubscribeScheduled = new AtomicBoolean();

    Watch(GridpushClient client, String channel, CacheListener listener) {
        this.client = client;
        this.channel = channel;
        this.listener = listener;
    }

    /** Completes once subscribed; exceptionally with a {@link GridpushException} if the gateway refused. */
    public CompletableFuture<Void> ready() {
        return ready;
    }

    public String channel() {
        return channel;
    }

    void subscribe(BayeuxClient bayeux) {
        if (closed) {
            return;
        }
        subscribing.set(true);
        generation.incrementAndGet();
        gate.resync();
        pinWildcards(bayeux);
        bayeux.getChannel(channel).subscribe(onMessage, reply -> {
            if (reply.isSuccessful()) {
                ready.complete(null);
                return;
            }
            Object error = reply.get(Message.ERROR_FIELD);
            if (BayeuxErrors.isRefusal(error)) {
                ready.completeExceptionally(new GridpushException(BayeuxErrors.classify(error),
                    "subscription to " + channel + " refused: " + error));
            } else {
                // Not refused, just not sent (the connection was being re-established): try again once connected.
                subscribing.set(false);
            }
        });
    }

    /**
     * CometD notifies every incoming message to its channel and to each of the channel's wildcards
     * ({@code /cache/c/*}, {@code /cache/c/**}, {@code /cache/**}, {@code /**}). A wildcard without a
     * channel object is parsed, built and released again for every message: about a fifth of the load
     * clients' CPU in the fan-out benchmark (JFR). Holding the (empty) wildcard channels makes that a
     * map lookup. They are a handful per client and carry no listeners, so nothing else changes.
     */
    private void pinWildcards(BayeuxClient bayeux) {
        for (String wildcard : bayeux.getChannel(channel).getChannelId().getWilds()) {
            bayeux.getChannel(wildcard);
        }
    }

    /** Re-sends a subscription that failed in transit; called when the client is connected again. */
    void retryIfLost(BayeuxClient bayeux) {
        if (!closed && !ready.isCompletedExceptionally() && subscribing.compareAndSet(false, true)) {
            resubscribe(bayeux);
        }
    }

    /**
     * Unsubscribes, then subscribes again once the gateway has answered the unsubscription. Sent together,
     * the two can overtake each other over long polling (separate HTTP requests), leaving the session
     * unsubscribed on the server while the client believes otherwise; found by ResyncTest.
     */
    private void resubscribe(BayeuxClient bayeux) {
        subscribing.set(true);
        bayeux.getChannel(channel).unsubscribe(onMessage, reply -> subscribe(bayeux));
    }

    @Override
    public void close() {
        closed = true;
        client.forget(this);
        client.bayeux().getChannel(channel).unsubscribe(onMessage);
    }

    private void onMessage(Message message) {
        Map<String, Object> data = message.getDataAsMap();
        if (data == null || closed) {
            return;
        }
        CacheEvent event = toEvent(data);
        if (event == null) {
            return;
        }
        if (event.type() == EventType.RESYNC) {
            // The gateway could not deliver something (it dropped this session's backlog, a change failed to
            // publish, a snapshot failed): subscribe again, which brings fresh snapshots.
            // Events arriving meanwhile are older than those snapshots or arrive again after them. The
            // generation moves now (not only at the new subscription) so that paging still under way stops.
            generation.incrementAndGet();
            if (resyncsInARow.getAndIncrement() == 0) {
                resubscribe(client.bayeux());
            } else if (resubscribeScheduled.compareAndSet(false, true)) {
                // Resyncs in a row: the gateway could not serve the last snapshot either (a minority
                // partition, a stopping node). Wait, with jitter, rather than loop at round-trip speed.
                CompletableFuture.delayedExecutor(resyncBackOff.next(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(() -> {
                        resubscribeScheduled.set(false);
                        if (!closed) {
                            resubscribe(client.bayeux());
                        }
                    });
            }
            // Otherwise a re-subscription is already scheduled, and it serves this resync too. (A backlog
            // trimmed several times holds several resyncs; each used to schedule its own re-subscription,
            // with back-offs growing to 10 s, and each one restarted the re-sync: ResyncTest, long polling.)
            listener.onEvent(event);
            return;
        }
        if (event.type() == EventType.SNAPSHOT || event.type() == EventType.SNAPSHOT_END) {
            resyncsInARow.set(0);
            resyncBackOff.reset();
        }
        if (event.type() == EventType.SNAPSHOT_END) {
            if (event.truncated()) {
                completeSnapshot(event, generation.get());
            } else {
                endSnapshot(event);
            }
            return;
        }
        if (gate.admit(event)) {
            listener.onEvent(event);
        }
    }

    /**
     * A wildcard snapshot stops at the gateway's limits.snapshotEntries. After a resync the keys beyond it
     * would stay stale, so the rest is read page by page with {@code entries}; each entry passes the version
     * rule like a snapshot, and changes that arrive meanwhile keep winning. snapshot-end is delivered once
     * the view is complete, with the count of entries listed and {@code truncated == false}.
     */
    private void completeSnapshot(CacheEvent end, int forGeneration) {
        RemoteCache cache = client.cache(end.cache());
        gate.startListing();
        AtomicInteger count = new AtomicInteger();
        readPage(cache, null, end, forGeneration, count);
    }

    private void readPage(RemoteCache cache, String after, CacheEvent end, int forGeneration, AtomicInteger count) {
        cache.entries(after, PAGE).whenComplete((page, failure) -> {
            if (closed || generation.get() != forGeneration) {
                return;
            }
            if (failure != null) {
                // Not complete: deliver what the gateway said; the keys beyond its snapshot may be stale.
                listener.onEvent(end);
                return;
            }
            for (Entry entry : page.entries()) {
                CacheEvent snapshot = new CacheEvent(end.cache(), entry.key(), EventType.SNAPSHOT, entry.value(), entry.version(), true, 0, false);
                count.incrementAndGet();
                if (gate.admit(snapshot)) {
                    listener.onEvent(snapshot);
                }
            }
            if (page.next() != null) {
                readPage(cache, page.next(), end, forGeneration, count);
            } else {
                endSnapshot(new CacheEvent(end.cache(), null, EventType.SNAPSHOT_END, null, -1, false, count.get(), false));
            }
        });
    }

    /** A complete (re-)sync: keys shown as present that it did not mention are gone. */
    private void endSnapshot(CacheEvent end) {
        for (String key : gate.vanished()) {
            listener.onEvent(new CacheEvent(end.cache(), key, EventType.REMOVED, null, -1, false, 0, false));
        }
        listener.onEvent(end);
    }

    private static CacheEvent toEvent(Map<String, Object> data) {
        EventType type;
        try {
            type = EventType.fromWire(data.get(Fields.TYPE));
        } catch (IllegalArgumentException x) {
            return null;
        }
        Object version = data.get(Fields.VERSION);
        Object count = data.get(Fields.COUNT);
        return new CacheEvent((String)data.get(Fields.CACHE), (String)data.get(Fields.KEY), type, Values.plain(data.get(Fields.VALUE)),
            version instanceof Number n ? n.longValue() : -1, Boolean.TRUE.equals(data.get(Fields.FOUND)),
            count instanceof Number n ? n.intValue() : 0, Boolean.TRUE.equals(data.get(Fields.TRUNCATED)));
    }
}
