package io.gridpush.bayeux;

import java.util.Collection;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.cometd.server.http.JSONHttpTransport;

/**
 * CometD's long-polling transport, which finds a request's session through the {@code BAYEUX_BROWSER}
 * cookie, plus: a request without that cookie (a page on another site, whose browser does not send the
 * gateway's cookie) finds its session when it carries the session's {@link SessionProof}. A clientId
 * without the proof still gets {@code 402::session_unknown}, as before.
 *
 * <p>CometD builds it by reflection ({@code transports} option) and calls it on the request's thread.</p>
 */
public final class ProvenHttpTransport extends JSONHttpTransport {
    public ProvenHttpTransport(BayeuxServerImpl bayeux) {
        super(bayeux);
    }

    @Override
    protected ServerSessionImpl findSession(Collection<ServerSessionImpl> sessions, ServerMessage.Mutable message) {
        ServerSessionImpl session = super.findSession(sessions, message);
        if (session != null || Channel.META_HANDSHAKE.equals(message.getChannel()) || message.getClientId() == null) {
            return session;
        }
        ServerSessionImpl claimed = (ServerSessionImpl)getBayeuxServer().getSession(message.getClientId());
        return SessionProof.proves(claimed, message) ? claimed : null;
    }
}
