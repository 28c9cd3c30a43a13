package io.gridpush.http;

import io.gridpush.bayeux.EventMessages;
import io.gridpush.cache.Grid;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.Versioned;
import io.gridpush.config.GatewayConfig;
import io.gridpush.operations.OperationBudget;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import io.gridpush.scope.AccessCheck;
import io.gridpush.security.AccessRules;
import io.gridpush.security.Identity;
import io.gridpush.security.Right;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code GET /caches/{cache}/keys/{key}/events} and {@code GET /caches/{cache}/events}: the events a
 * Bayeux subscription gets, as Server-Sent Events. Each stream is a local Bayeux session subscribed to the
 * key's channel or the cache's wildcard, so it is fed by the same publishing path, exactly once per
 * change; then the snapshot is sent, as for a subscription (one {@code snapshot}, or one per readable
 * entry and {@code snapshot-end}). A wildcard stream holds only the keys its identity may read.
 *
 * <p>Resuming ({@code Last-Event-ID}, which {@code EventSource} sends by itself): an event's id is its
 * version. A key stream whose key is still at that version skips the snapshot; otherwise the snapshot
 * brings the key's state now, removal included (its version is the remove's). A cache stream sends its
 * snapshot again: intermediate changes are conflated into the state, and a key missing from it is gone.</p>
 *
 * <p>A stream opened with a token that expires ends then, with a last event {@code token_expired}.</p>
 *
 * <p>Threads: opened on the request's Jetty thread; events arrive on change-lane threads; heartbeats on
 * this component's scheduler.</p>
 */
@Singleton
final class EventStreams extends ContainerLifeCycle {
    /** A comment line after this long without a write, under any proxy's or the connector's idle timeout. */
    static final long HEARTBEAT_MS = 15_000;
    /** How long an {@code EventSource} waits before it reconnects. */
    static final long RETRY_MS = 2_000;
    private final BayeuxServer bayeux;
    private final Grid grid;
    private final AccessRules rules;
    private final Provider<AccessCheck> access;
    private final int maxQueue;
    private final int maxEntries;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final Scheduler scheduler = new ScheduledExecutorScheduler("gridpush-sse", true);

    @Inject
    EventStreams(BayeuxServer bayeux, Grid grid, AccessRules rules, Provider<AccessCheck> access, GatewayConfig config) {
        this.bayeux = bayeux;
        this.grid = grid;
        this.rules = rules;
        this.access = access;
        this.maxQueue = config.delivery().maxQueue();
        this.maxEntries = config.limits().snapshotEntries();
        addBean(scheduler);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scheduleHeartbeats();
    }

    @Override
    protected void doStop() throws Exception {
        open.forEach(EventStream::end);
        super.doStop();
    }

    int openStreams() {
        return open.size();
    }

    private void scheduleHeartbeats() {
        scheduler.schedule(() -> {
            long idle = TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS);
            open.forEach(stream -> stream.heartbeatIfIdle(idle));
            if (isRunning()) {
                scheduleHeartbeats();
            }
        }, HEARTBEAT_MS / 3, TimeUnit.MILLISECONDS);
    }

    /** Opens the stream (and returns null: it answers by itself), or refuses it with the contract's error. */
    ApiReply open(ApiRoute route, ApiRequest request, HttpServletResponse response, OperationBudget budget) {
        if (!budget.tryTake()) {
            return ApiReply.error(ErrorCode.RATE_LIMITED, "more than " + budget.perSecond() + " operations per second; slow down");
        }
        AccessCheck check = access.get();
        Identity identity = check.caller().identity();
        GridCache cache;
        try {
            if (route.key() != null) {
                check.require(route.cache(), route.key(), Right.READ);
            } else {
                check.requireSome(route.cache(), Right.READ);
            }
            cache = grid.cache(route.cache());
        } catch (GridpushException x) {
            return ApiReply.error(x.code(), x.getMessage());
        }
        String channel;
        try {
            channel = route.key() != null ? ChannelNames.keyChannel(route.cache(), route.key()) : ChannelNames.cacheChannel(route.cache());
        } catch (IllegalArgumentException x) {
            return ApiReply.error(ErrorCode.BAD_REQUEST, x.getMessage());
        }
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        // nginx and similar proxies would otherwise buffer the stream.
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.servlet().startAsync();
        async.setTimeout(0);
        AtomicReference<Scheduler.Task> expiry = new AtomicReference<>();
        LocalSession session = bayeux.newLocalSession("sse");
        session.handshake();
        EventStream stream;
        try {
            stream = new EventStream(async, maxQueue, EventMessages.resync(route.cache(), route.key()), ended -> {
                open.remove(ended);
                session.disconnect();
                Scheduler.Task task = expiry.get();
                if (task != null) {
                    task.cancel();
                }
            });
        } catch (IOException x) {
            session.disconnect();
            throw new UncheckedIOException(x);
        }
        async.addListener(new Ended(stream));
        open.add(stream);
        stream.start(RETRY_MS);
        if (identity.expiresAt() != null) {
            // The stream lasts as long as its token, as a Bayeux session does; the reader reconnects with a fresh one.
            long delay = Math.max(0, Duration.between(Instant.now(), identity.expiresAt()).toMillis());
            expiry.set(scheduler.schedule(() -> stream.last(ApiReply.TOKEN_EXPIRED, Map.of(Fields.ERROR, ApiReply.TOKEN_EXPIRED,
                Fields.MESSAGE, "the bearer token has expired; reconnect with a fresh one")), delay, TimeUnit.MILLISECONDS));
        }
        session.getChannel(channel).subscribe((from, message) -> {
            Map<String, Object> data = message.getDataAsMap();
            if (EventType.RESYNC.wire().equals(data.get(Fields.TYPE))) {
                stream.resync(data);
            } else if (route.key() != null || !(data.get(Fields.KEY) instanceof String key) || rules.mayRead(identity, route.cache(), key)) {
                stream.event(data);
            }
        });
        snapshot(route, cache, identity, request.header("Last-Event-ID"), stream, budget);
        return null;
    }

    /** After the subscription is in place, as for a Bayeux subscription: changes made meanwhile are not lost. */
    private void snapshot(ApiRoute route, GridCache cache, Identity identity, String lastEventId, EventStream stream, OperationBudget budget) {
        try {
            if (route.key() != null) {
                GridCache.Lookup lookup = cache.lookup(route.key());
                Long seen = lastEventId == null ? null : ETags.parse(lastEventId);
                if (seen == null || lookup.version() != seen) {
                    stream.event(EventMessages.snapshot(route.cache(), route.key(), lookup));
                }
                return;
            }
            GridCache.Snapshot snapshot = cache.snapshot(maxEntries);
            budget.charge(snapshot.entries().size() / OperationBudget.SNAPSHOT_ENTRIES_PER_OPERATION);
            int sent = 0;
            for (Versioned entry : snapshot.entries()) {
                if (rules.mayRead(identity, route.cache(), entry.key())) {
                    ++sent;
                    stream.event(EventMessages.snapshot(route.cache(), entry.key(), entry));
                }
            }
            stream.event(EventMessages.snapshotEnd(route.cache(), sent, snapshot.truncated()));
        } catch (RuntimeException x) {
            // The snapshot cannot be read now (a minority partition, a stop): the reader must not take it for an empty one.
            stream.resync(EventMessages.resync(route.cache(), route.key()));
        }
    }

    /** The reader went away, or the container ended the request. */
    private static final class Ended implements AsyncListener {
        private final EventStream stream;

        Ended(EventStream stream) {
            this.stream = stream;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            stream.onError(null);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            stream.onError(event.getThrowable());
        }

        @Override
        public void onError(AsyncEvent event) {
            stream.onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // Not restarted.
        }
    }
}
