package io.gridpush.bayeux;

import io.gridpush.cache.Grid;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.Versioned;
import io.gridpush.config.GatewayConfig;
import io.gridpush.operations.OperationBudget;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ChannelNames.CacheChannel;
import io.gridpush.security.AccessRules;
import io.gridpush.security.HandshakePolicy;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the initial state after a successful subscription, to the subscribing session alone: one
 * {@code snapshot} for a key channel; for a wildcard, one per live entry (each on its key's channel) and
 * then {@code snapshot-end} on the cache's snapshot-end channel {@code /cache/{cache}/$}, which the
 * wildcard subscription matches. A snapshot that cannot be read (the cache is in a minority partition,
 * or stopping) is answered with {@code resync}: the client must not take the missing snapshot for an
 * empty one.
 *
 * <p>Threads: runs on the thread handling the {@code /meta/subscribe} (a Jetty thread), after the
 * subscription is in place, so changes made while the snapshot is read are also delivered; the
 * version rule lets the client keep the newest.</p>
 */
@Singleton
public final class SnapshotSender implements BayeuxServer.SubscriptionListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);
    private final Grid grid;
    private final Outbound outbound;
    private final SessionLimits limits;
    private final AccessRules rules;
    private final int maxEntries;

    @Inject
    public SnapshotSender(Grid grid, Outbound outbound, GatewayConfig config, SessionLimits limits, AccessRules rules) {
        this.grid = grid;
        this.rules = rules;
        this.outbound = outbound;
        this.limits = limits;
        this.maxEntries = config.limits().snapshotEntries();
    }

    @Override
    public void subscribed(ServerSession session, ServerChannel channel, ServerMessage message) {
        if (session.isLocalSession() || !ChannelNames.isCacheChannel(channel.getId())) {
            return;
        }
        CacheChannel target = ChannelNames.parse(channel.getId());
        try {
            GridCache cache = grid.cache(target.cache());
            session.batch(() -> {
                if (target.wildcard()) {
                    GridCache.Snapshot snapshot = cache.snapshot(maxEntries);
                    limits.charge(session, snapshot.entries().size() / OperationBudget.SNAPSHOT_ENTRIES_PER_OPERATION);
                    Identity identity = HandshakePolicy.identityOf(session);
                    int sent = 0;
                    for (Versioned entry : snapshot.entries()) {
                        // Per-key rights: a wildcard snapshot holds only the keys its identity may read.
                        if (!rules.mayRead(identity, target.cache(), entry.key())) {
                            continue;
                        }
                        ++sent;
                        outbound.deliver(session, ChannelNames.keyChannel(target.cache(), entry.key()),
                            EventMessages.snapshot(target.cache(), entry.key(), entry));
                    }
                    outbound.deliver(session, ChannelNames.snapshotEndChannel(target.cache()),
                        EventMessages.snapshotEnd(target.cache(), sent, snapshot.truncated()));
                } else {
                    outbound.deliver(session, channel.getId(), EventMessages.snapshot(target.cache(), target.key(), cache.lookup(target.key())));
                }
            });
        } catch (RuntimeException x) {
            LOG.warn("Could not read the snapshot of {} for {} ({}); it is told to re-sync", channel.getId(), session.getId(), x.toString());
            LOG.debug("Snapshot failure", x);
            outbound.resync(session, channel.getId(), "snapshot_failed");
        }
    }
}
