package io.gridpush.client;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;

/**
 * A subscription to one key or one whole cache. Created by {@link RemoteCache#watch} and
 * {@link RemoteCache#watchAll}; re-subscribed (and so re-synced from snapshots) by the client after
 * every re-handshake. {@link #ready()} completes when the first subscription is confirmed.
 */
public final class Watch implements AutoCloseable {
    private final GridpushClient client;
    private final String channel;
    private final CacheListener listener;
    private final VersionGate gate = new VersionGate();
    private final ClientSessionChannel.MessageListener onMessage = (ch, message) -> onMessage(message);
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile boolean closed;
    /** Whether a subscription is confirmed or on its way; false after a failed one, which the client retries. */
    private final java.util.concurrent.atomic.AtomicBoolean subscribing = new java.util.concurrent.atomic.AtomicBoolean();

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
        gate.resync();
        bayeux.getChannel(channel).subscribe(onMessage, reply -> {
            if (reply.isSuccessful()) {
                ready.complete(null);
                return;
            }
            String error = String.valueOf(reply.get(Message.ERROR_FIELD));
            if (error.startsWith("400") || error.startsWith("403")) {
                ready.completeExceptionally(new GridpushException(error.startsWith("400") ? ErrorCode.BAD_REQUEST : ErrorCode.FORBIDDEN,
                    "subscription to " + channel + " refused: " + error));
            } else {
                // Not refused, just not sent (the connection was being re-established): try again once connected.
                subscribing.set(false);
            }
        });
    }

    /** Re-sends a subscription that failed in transit; called when the client is connected again. */
    void retryIfLost(BayeuxClient bayeux) {
        if (!closed && !ready.isCompletedExceptionally() && subscribing.compareAndSet(false, true)) {
            bayeux.getChannel(channel).unsubscribe(onMessage);
            subscribe(bayeux);
        }
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
            // The gateway dropped this session's backlog: subscribe again, which brings fresh snapshots.
            BayeuxClient bayeux = client.bayeux();
            bayeux.getChannel(channel).unsubscribe(onMessage);
            subscribe(bayeux);
            listener.onEvent(event);
            return;
        }
        if (gate.admit(event)) {
            listener.onEvent(event);
        }
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
        return new CacheEvent((String)data.get(Fields.CACHE), (String)data.get(Fields.KEY), type, data.get(Fields.VALUE),
            version instanceof Number n ? n.longValue() : -1, Boolean.TRUE.equals(data.get(Fields.FOUND)),
            count instanceof Number n ? n.intValue() : 0, Boolean.TRUE.equals(data.get(Fields.TRUNCATED)));
    }
}
