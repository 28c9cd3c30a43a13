package io.gridpush.bayeux;

import io.gridpush.cache.CacheChange;
import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.protocol.ChannelNames;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Everything the gateway sends: pushed events, snapshots and replies. All of it is sent as the gateway's
 * own {@link LocalSession}, the only publisher allowed on {@code /cache/**}.
 */
@Singleton
public final class Outbound implements io.gridpush.cache.ChangePublisher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Outbound.class);
    private final BayeuxServer bayeux;
    private final GatewayMetrics metrics;
    private volatile LocalSession self;

    @Inject
    public Outbound(BayeuxServer bayeux, GatewayMetrics metrics) {
        this.bayeux = bayeux;
        this.metrics = metrics;
    }

    /** Handshakes the gateway's own session; called once the Bayeux server runs. */
    void open() {
        LocalSession session = bayeux.newLocalSession("gridpush");
        session.handshake();
        self = session;
    }

    void close() {
        LocalSession session = self;
        self = null;
        if (session != null) {
            session.disconnect();
        }
    }

    boolean isSelf(ServerSession session) {
        LocalSession current = self;
        return current != null && current.getServerSession() == session;
    }

    /**
     * Publishes a change to its key's channel, where CometD delivers it once to each session subscribed to
     * the key's channel, the cache's wildcard channel, or both. Skipped when nobody watches either.
     * Threads: called on an event lane thread.
     */
    @Override
    public void publish(CacheChange change) {
        String channel = ChannelNames.keyChannel(change.cache(), change.key());
        int watchers = watchers(channel) + watchers(ChannelNames.cacheChannel(change.cache()));
        if (watchers == 0) {
            return;
        }
        ServerChannel target = bayeux.createChannelIfAbsent(channel).getReference();
        target.publish(sender(), EventMessages.change(change), Promise.noop());
        // An upper bound: a session subscribed to both the key and the wildcard gets the event once.
        metrics.published(watchers);
    }

    /**
     * Tells every watcher of {@code change}'s key (its key channel and the cache's wildcard) to re-sync.
     * Threads: a lane thread, or the writer's when the hand-off was interrupted.
     */
    @Override
    public void lost(CacheChange change, String why) {
        int told = resyncAll(ChannelNames.keyChannel(change.cache(), change.key()), ChannelNames.keyChannel(change.cache(), change.key()))
            + resyncAll(ChannelNames.cacheChannel(change.cache()), ChannelNames.snapshotEndChannel(change.cache()));
        metrics.resync(why, told);
    }

    @Override
    public void lostAll(String cache, String why) {
        String prefix = ChannelNames.CACHE_ROOT + cache + "/";
        int told = 0;
        for (ServerChannel channel : bayeux.getChannels()) {
            String id = channel.getId();
            if (!id.startsWith(prefix) || ChannelNames.cacheOfSnapshotEndChannel(id) != null || channel.getSubscribers().isEmpty()) {
                continue;
            }
            ChannelNames.CacheChannel target;
            try {
                target = ChannelNames.parse(id);
            } catch (IllegalArgumentException x) {
                continue;
            }
            if (!target.denied()) {
                told += resyncAll(id, target.wildcard() ? ChannelNames.snapshotEndChannel(cache) : id);
            }
        }
        LOG.info("Told {} subscriptions to cache '{}' to re-sync ({})", told, cache, why);
        metrics.resync(why, told);
    }

    /** Tells one session that its subscription to {@code channel} must re-sync. */
    void resync(ServerSession to, String channel, String why) {
        ChannelNames.CacheChannel target = ChannelNames.parse(channel);
        String on = target.wildcard() ? ChannelNames.snapshotEndChannel(target.cache()) : channel;
        deliver(to, on, EventMessages.resyncOf(on));
        metrics.resync(why, 1);
    }

    private int resyncAll(String subscribedTo, String deliverOn) {
        ServerChannel channel = bayeux.getChannel(subscribedTo);
        if (channel == null) {
            return 0;
        }
        int told = 0;
        for (ServerSession session : channel.getSubscribers()) {
            if (!session.isLocalSession()) {
                deliver(session, deliverOn, EventMessages.resyncOf(deliverOn));
                ++told;
            }
        }
        return told;
    }

    /** Delivers an event to one session only (a snapshot). */
    void deliver(ServerSession to, String channel, Map<String, Object> data) {
        to.deliver(sender(), channel, data, Promise.noop());
    }

    /** Replies to a remote call: same channel and id, to the caller alone. */
    void reply(ServerSession to, ServerMessage request, boolean successful, Object data) {
        ServerMessage.Mutable reply = bayeux.newMessage();
        reply.setChannel(request.getChannel());
        reply.setId(request.getId());
        reply.setSuccessful(successful);
        reply.setData(data);
        to.deliver(sender(), reply, Promise.noop());
    }

    private int watchers(String channel) {
        ServerChannel serverChannel = bayeux.getChannel(channel);
        return serverChannel == null ? 0 : serverChannel.getSubscribers().size();
    }

    private LocalSession sender() {
        LocalSession current = self;
        if (current == null) {
            throw new IllegalStateException("the gateway's Bayeux session is not open; is the gateway started?");
        }
        return current;
    }
}
