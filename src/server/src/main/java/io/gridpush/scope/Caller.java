package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import io.gridpush.security.Identity;
import io.gridpush.security.RemoteAddress;
import jakarta.inject.Inject;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.bayeux.server.ServerTransport;

/** Who sent the message being handled: one instance per message, built from the scope's seeds. */
@RequestScoped
public final class Caller {
    private final Identity identity;
    private final String clientId;
    private final String transport;
    private final String remoteAddress;

    @Inject
    public Caller(Identity identity, ServerSession session, ServerMessage message) {
        this.identity = identity;
        this.clientId = session.getId();
        ServerTransport serverTransport = message.getServerTransport();
        this.transport = serverTransport == null ? "local" : serverTransport.getName();
        this.remoteAddress = RemoteAddress.of(message);
    }

    public Identity identity() {
        return identity;
    }

    public String clientId() {
        return clientId;
    }

    /** "websocket" or "long-polling". */
    public String transport() {
        return transport;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public String toString() {
        return identity.name() + "@" + clientId + "/" + transport + "/" + remoteAddress;
    }
}
