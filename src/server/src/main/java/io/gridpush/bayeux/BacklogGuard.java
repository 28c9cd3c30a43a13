package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
import io.gridpush.metrics.GatewayMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.cometd.server.ext.AcknowledgedMessagesExtension;
import org.cometd.server.ext.AcknowledgedMessagesSessionExtension;

/**
 * Bounds every session's backlog to {@code delivery.maxQueue} messages with the {@link Backlog} rule, and
 * conflates it from {@code delivery.conflateAt} on (then as {@link Backlog#nextTrim} says), in
 * both places a slow session's messages wait: CometD's session queue (a {@code QueueMaxedListener}, on
 * every session) and, for sessions with acknowledgements, the extension's queue of unacknowledged messages.
 */
@Singleton
public final class BacklogGuard implements BayeuxServer.SessionListener, ServerSession.QueueMaxedListener,
    ServerSession.MessageListener, AcknowledgedMessagesExtension.Listener {
    private final BayeuxServerImpl bayeux;
    private static final Logger LOG = LoggerFactory.getLogger(BacklogGuard.class);
    private final int bound;
    private final int conflateAt;
    /** Sessions whose disconnection is scheduled, so that it is scheduled once. */
    private final Set<String> disconnecting = ConcurrentHashMap.newKeySet();

    private final GatewayMetrics metrics;
    @Inject
    public BacklogGuard(BayeuxServerImpl bayeux, GatewayConfig config, GatewayMetrics metrics) {
        this.metrics = metrics;
        this.bayeux = bayeux;
        this.bound = config.delivery().maxQueue();
        this.conflateAt = config.delivery().conflateAt();
        metrics.gauge("gridpush_queued_messages", "Messages waiting for their sessions (queued, or sent and not yet acknowledged)",
            () -> backlogs().sum());
        metrics.gauge("gridpush_backlog_max", "The largest backlog of one session, in messages (bounded by delivery.maxQueue)",
            () -> backlogs().max().orElse(0));
    }

    /** Read when /metrics is scraped. */
    private java.util.stream.IntStream backlogs() {
        return bayeux.getSessions().stream().mapToInt(BacklogGuard::backlogOf);
    }

    int bound() {
        return bound;
    }

    /**
     * What {@code session} holds for its client, in messages: the larger of CometD's session queue and the
     * acknowledgement extension's queue of sent but unacknowledged messages (both are bounded here).
     */
    public static int backlogOf(ServerSession session) {
        if (!(session instanceof ServerSessionImpl impl)) {
            return 0;
        }
        int queued = impl.getQueue().size();
        for (ServerSession.Extension extension : impl.getExtensions()) {
            if (extension instanceof AcknowledgedMessagesSessionExtension acks) {
                queued = Math.max(queued, acks.getBatchArrayQueue().size());
            }
        }
        return queued;
    }

    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        if (!session.isLocalSession()) {
            session.addListener(this);
        }
    }

    /**
     * Refuses every message for a session whose removal is scheduled. Without this, a long-polling session
     * kept growing until the removal ran: its session queue is refused at the bound, but its acknowledgement
     * queue holds the sent, unacknowledged messages as well, so it reached twice the bound on a busy machine.
     * Threads: any delivering thread, before CometD takes the session's lock to queue the message.
     */
    @Override
    public boolean onMessage(ServerSession session, ServerSession sender, ServerMessage message) {
        return !disconnecting.contains(session.getId());
    }

    /** CometD calls this before queueing each message while the session's queue holds conflateAt or more. */
    @Override
    public boolean queueMaxed(ServerSession session, Queue<ServerMessage> queue, ServerSession sender, ServerMessage message) {
        if (!due(session, QUEUE, queue.size())) {
            return true;
        }
        trim(session, queue);
        scheduled(session, QUEUE, queue.size());
        return !hopeless(session, queue);
    }

    /**
     * The acknowledgement extension calls this after adding each message past conflateAt. A trim re-adds what
     * it keeps, so sent but unacknowledged messages among them are sent again with the next poll; clients
     * drop them by version (an event not newer than the key's last one), so only bytes are spent.
     */
    @Override
    public void onBatchQueueMaxed(ServerSession session, Queue<ServerMessage> queue) {
        if (due(session, ACKS, queue.size())) {
            trim(session, queue);
            scheduled(session, ACKS, queue.size());
            hopeless(session, queue);
        }
    }

    /** Where a session's queue of one kind is next trimmed; a session attribute, read and written with the session's lock held. */
    private static final class NextTrim {
        int kept;
        int at;
    }

    private static final String QUEUE = "gridpush.nextTrim.queue";
    private static final String ACKS = "gridpush.nextTrim.acks";

    private boolean due(ServerSession session, String kind, int size) {
        if (size >= bound) {
            return true;
        }
        NextTrim next = (NextTrim)session.getAttribute(kind);
        // Smaller than the last trim left it: the backlog drained since, so it starts over at conflateAt.
        return next == null || size < next.kept ? size >= conflateAt : size >= next.at;
    }

    private void scheduled(ServerSession session, String kind, int kept) {
        NextTrim next = (NextTrim)session.getAttribute(kind);
        if (next == null) {
            next = new NextTrim();
            session.setAttribute(kind, next);
        }
        next.kept = kept;
        next.at = Backlog.nextTrim(kept, conflateAt, bound);
    }

    private void trim(ServerSession session, Queue<ServerMessage> queue) {
        long start = System.nanoTime();
        int resyncs = Backlog.trim(bayeux, session, queue, bound);
        metrics.trimmed(System.nanoTime() - start);
        if (resyncs > 0) {
            metrics.resync("backlog", resyncs);
        }
    }

    /**
     * Still at the bound after the trim means the backlog is made of what is never dropped: replies to the
     * session's own requests, and snapshots. Its client sends faster than it reads; keeping it would let
     * the backlog grow without bound (and re-trim on every message). The session is removed instead: the
     * client handshakes again and re-syncs.
     *
     * <p>Threads: called with the session's lock held, so the disconnection runs later on the scheduler.</p>
     */
    private boolean hopeless(ServerSession session, Queue<ServerMessage> queue) {
        if (queue.size() < bound) {
            return false;
        }
        if (disconnecting.add(session.getId())) {
            metrics.removedSessions("backlog").increment();
            LOG.info("Removing session {}: {} messages it does not read are not droppable (delivery.maxQueue {})", session.getId(), queue.size(), bound);
            bayeux.getScheduler().schedule(() -> {
                // Removed as if expired, with no /meta/disconnect (after which a client would not come back):
                // its next /meta/connect is answered 402::unknown_session, and it handshakes again.
                bayeux.removeServerSession(session, true);
                disconnecting.remove(session.getId());
            }, 0, TimeUnit.MILLISECONDS);
        }
        return true;
    }
}
