package io.gridpush.bayeux;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * The one home of the backlog rule for a session that does not keep up. A cache pushes state, not a
 * log, so queued events of one key collapse into the newest; when that still leaves too many (too many
 * distinct keys), the queued events are dropped and each affected subscription gets one {@code resync}
 * event, after which the client re-syncs from snapshots.
 *
 * <p>Threads: called by CometD with the session's lock held, on whichever thread is enqueuing.</p>
 */
final class Backlog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Backlog.class);

    private Backlog() {
    }

    /**
     * Where the next trim of a backlog comes, after one that left {@code kept} messages: at twice that (and
     * at least {@code conflateAt}), at most at {@code bound}. A trim reads the whole backlog, so a backlog
     * that conflation cannot shrink (distinct keys, replies, snapshots) must grow in proportion before the
     * next one, or each message pays the backlog's size: at a fixed level, 1,000 distinct keys conflated back
     * to 1,000 and were trimmed again at every message (and, over long polling, every trim re-batches the
     * unacknowledged messages, so none was ever acknowledged: FrozenConsumerTest's healthy client stalled).
     */
    static int nextTrim(int kept, int conflateAt, int bound) {
        return (int)Math.min(bound, Math.max(conflateAt, 2L * kept));
    }

    /**
     * Rewrites {@code queue} in place so that it holds at most {@code bound} messages if at all possible:
     * first by conflation, then by replacing all cache events with resync instructions. Returns how many
     * subscriptions were told to re-sync.
     */
    static int trim(BayeuxServer bayeux, ServerSession session, Queue<ServerMessage> queue, int bound) {
        List<ServerMessage> kept = conflate(new ArrayList<>(queue));
        // Hysteresis: conflation must free at least an eighth of the bound, or the next trim would come a
        // few messages later and every enqueue would copy the whole queue (about as many distinct keys as
        // the bound). Past that, a resync is cheaper for everyone.
        int resyncs = 0;
        if (kept.size() > bound - bound / 8) {
            int before = kept.size();
            kept = resync(bayeux, session, kept);
            resyncs = (int)kept.stream().filter(Backlog::isResync).count();
            LOG.debug("Backlog of {}: {} messages replaced by {} resyncs", session.getId(), before, resyncs);
        }
        // Drain with poll(), not clear(): the acknowledgement extension's BatchArrayQueue.clear() resets its
        // batch counter to 1, and the client's next ack of a higher batch would then discard everything.
        while (queue.poll() != null) {
            // Emptying, keeping the batch number.
        }
        queue.addAll(kept);
        return resyncs;
    }

    /**
     * Keeps, per key channel, only the newest versioned event; everything else keeps its place. One pass
     * reads each message's version (once), a second keeps the newest.
     */
    static List<ServerMessage> conflate(List<ServerMessage> messages) {
        long[] versions = new long[messages.size()];
        Map<String, Long> newest = new HashMap<>();
        for (int i = 0; i < versions.length; ++i) {
            ServerMessage message = messages.get(i);
            versions[i] = versionOf(message);
            if (versions[i] >= 0) {
                newest.merge(message.getChannel(), versions[i], Math::max);
            }
        }
        List<ServerMessage> kept = new ArrayList<>(messages.size());
        for (int i = 0; i < versions.length; ++i) {
            ServerMessage message = messages.get(i);
            long version = versions[i];
            if (version < 0 || newest.get(message.getChannel()) == version) {
                kept.add(message);
                // A later duplicate of the same version (key and wildcard) is not kept twice.
                if (version >= 0) {
                    newest.put(message.getChannel(), Long.MAX_VALUE);
                }
            }
        }
        return kept;
    }

    /** Drops every change event and adds one resync per subscription that would have received one. */
    private static List<ServerMessage> resync(BayeuxServer bayeux, ServerSession session, List<ServerMessage> messages) {
        Set<String> subscriptions = new LinkedHashSet<>();
        session.getSubscriptions().forEach(channel -> subscriptions.add(channel.getId()));
        Set<String> affected = new LinkedHashSet<>();
        List<ServerMessage> kept = new ArrayList<>();
        for (ServerMessage message : messages) {
            String channel = message.getChannel();
            if (!ChannelNames.isCacheChannel(channel) || isSnapshot(message)) {
                // Replies, and snapshots (a re-subscription's own re-sync) are never dropped: dropping a
                // re-sync to ask for another one would never end.
                kept.add(message);
                continue;
            }
            String wildcardOf = ChannelNames.cacheOfSnapshotEndChannel(channel);
            if (wildcardOf != null) {
                // An earlier resync of a wildcard subscription: the new resync replaces it.
                if (isResync(message) && subscriptions.contains(ChannelNames.cacheChannel(wildcardOf))) {
                    affected.add(channel);
                }
                continue;
            }
            ChannelNames.CacheChannel parsed = parseQuietly(channel);
            if (parsed == null || parsed.denied()) {
                continue;
            }
            String wildcard = ChannelNames.cacheChannel(parsed.cache());
            if (subscriptions.contains(wildcard)) {
                affected.add(ChannelNames.snapshotEndChannel(parsed.cache()));
            }
            if (subscriptions.contains(channel)) {
                affected.add(channel);
            }
        }
        for (String channel : affected) {
            kept.add(resyncMessage(bayeux, channel));
        }
        return kept;
    }

    private static ServerMessage resyncMessage(BayeuxServer bayeux, String channel) {
        ServerMessage.Mutable message = bayeux.newMessage();
        message.setChannel(channel);
        message.setData(EventMessages.resyncOf(channel));
        return message;
    }

    /** The version of a versioned event (a change, or a found snapshot), or -1. */
    private static long versionOf(ServerMessage message) {
        if (!ChannelNames.isCacheChannel(message.getChannel())) {
            return -1;
        }
        return data(message) instanceof Map<?, ?> map && map.get(Fields.VERSION) instanceof Number n ? n.longValue() : -1;
    }

    private static boolean isSnapshot(ServerMessage message) {
        return data(message) instanceof Map<?, ?> map && (EventType.SNAPSHOT.wire().equals(map.get(Fields.TYPE))
            || EventType.SNAPSHOT_END.wire().equals(map.get(Fields.TYPE)));
    }

    private static boolean isResync(ServerMessage message) {
        return data(message) instanceof Map<?, ?> map && EventType.RESYNC.wire().equals(map.get(Fields.TYPE));
    }

    /**
     * A queued message's data, read in place. {@code getData()} of a broadcast (frozen) message returns
     * {@code Map.copyOf} of it: a trim of a 12,000-message backlog made 12,000 copies, twice, while holding
     * the session's lock on a lane thread, which stalled every other subscriber of that lane. Only read here.
     */
    private static Object data(ServerMessage message) {
        return message.get(Message.DATA_FIELD);
    }

    private static ChannelNames.CacheChannel parseQuietly(String channel) {
        try {
            return ChannelNames.parse(channel);
        } catch (IllegalArgumentException x) {
            return null;
        }
    }
}
