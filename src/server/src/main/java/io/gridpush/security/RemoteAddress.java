package io.gridpush.security;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.ServerMessage;

/**
 * The one home of "the remote address" of a request or session: the client's IP address as text. Behind
 * a trusted proxy it is the address the proxy forwarded (the HTTP server rewrites the connection's
 * remote address before anything reads it, see {@code TrustedProxies}); otherwise the peer's.
 */
public final class RemoteAddress {
    /** For messages without a transport (the gateway's own session). */
    public static final String LOCAL = "local";

    private RemoteAddress() {
    }

    public static String of(ServerMessage message) {
        return of(message == null ? null : message.getBayeuxContext());
    }

    public static String of(BayeuxContext context) {
        return of(context == null ? null : context.getRemoteAddress());
    }

    public static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? LOCAL : address.toString();
    }
}
