package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Queue;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ext.AcknowledgedMessagesExtension;

/**
 * Bounds every session's backlog to {@code delivery.maxQueue} messages with the {@link Backlog} rule, in
 * both places a slow session's messages wait: CometD's session queue (a {@code QueueMaxedListener}, on
 * every session) and, for sessions with acknowledgements, the extension's queue of unacknowledged messages.
 */
@Singleton
public final class BacklogGuard implements BayeuxServer.SessionListener, ServerSession.QueueMaxedListener,
    AcknowledgedMessagesExtension.Listener {
    private final BayeuxServer bayeux;
    private final int bound;

    @Inject
    public BacklogGuard(BayeuxServer bayeux, GatewayConfig config) {
        this.bayeux = bayeux;
        this.bound = config.delivery().maxQueue();
    }

    int bound() {
        return bound;
    }

    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        if (!session.isLocalSession()) {
            session.addListener(this);
        }
    }

    @Override
    public boolean queueMaxed(ServerSession session, Queue<ServerMessage> queue, ServerSession sender, ServerMessage message) {
        Backlog.trim(bayeux, session, queue, bound);
        return true;
    }

    @Override
    public void onBatchQueueMaxed(ServerSession session, Queue<ServerMessage> queue) {
        Backlog.trim(bayeux, session, queue, bound);
    }
}
