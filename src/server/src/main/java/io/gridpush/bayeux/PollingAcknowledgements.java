package io.gridpush.bayeux;

import org.cometd.bayeux.Channel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.ext.AcknowledgedMessagesExtension;
import org.cometd.server.websocket.common.AbstractWebSocketTransport;

/**
 * CometD's acknowledgement extension, negotiated for long-polling sessions only.
 *
 * <p>Why: a WebSocket session here lives exactly as long as its connection (a connection may only use
 * the session it handshook itself, against hijacking), so nothing could ever be replayed to it, while
 * acknowledgements would still cost every WebSocket delivery a round trip: with acks, CometD sends
 * messages only with /meta/connect replies. A long-polling session survives its connections and gets
 * every missed message again. A WebSocket client that reconnects handshakes again and re-syncs from
 * snapshots. Clients learn which applies from the handshake reply ({@code ext.ack}).</p>
 */
public final class PollingAcknowledgements extends AcknowledgedMessagesExtension {
    @Override
    public boolean rcvMeta(ServerSession remote, ServerMessage.Mutable message) {
        if (Channel.META_HANDSHAKE.equals(message.getChannel()) && isWebSocket(message)) {
            return true;
        }
        return super.rcvMeta(remote, message);
    }

    private static boolean isWebSocket(ServerMessage message) {
        return message.getServerTransport() instanceof AbstractServerTransport transport
            && AbstractWebSocketTransport.NAME.equals(transport.getName());
    }
}
