package io.gridpush.delivery;

import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.ServerSessionImpl;
import org.cometd.server.ext.AcknowledgedMessagesSessionExtension;

/** What a session holds for its client: the larger of CometD's queue and the ack extension's unacknowledged batch queue. */
final class Backlogs {
    private Backlogs() {
    }

    static int of(ServerSession session) {
        ServerSessionImpl impl = (ServerSessionImpl)session;
        int queued = impl.getQueue().size();
        for (ServerSession.Extension extension : impl.getExtensions()) {
            if (extension instanceof AcknowledgedMessagesSessionExtension acks) {
                queued = Math.max(queued, acks.getBatchArrayQueue().size());
            }
        }
        return queued;
    }
}
