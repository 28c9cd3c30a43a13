package io.gridpush.scope;

import com.google.inject.Key;
import com.google.inject.servlet.RequestScoper;
import com.google.inject.servlet.ServletScopes;
import io.gridpush.security.Identity;
import io.gridpush.security.RemoteAddress;
import jakarta.inject.Singleton;
import java.util.Map;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.bayeux.server.ServerTransport;

/**
 * Runs the handling of one incoming Bayeux message inside a Guice request scope, so that
 * {@code @RequestScoped} services work in message handlers as they do in a servlet.
 *
 * <p>WebSocket messages have no HTTP request, and a long poll's HTTP request may carry a batch of
 * several messages, so the scope is per message, not per HTTP request: Guice's
 * {@link ServletScopes#scopeRequest(Map)} is documented for exactly this kind of non-HTTP request.
 * The scope is seeded with the {@link ServerSession}, the {@link ServerMessage}, the caller's
 * {@link Identity} and its {@link Origin}; everything else request-scoped is built from those on first
 * use. (An HTTP API request has Guice's own servlet request scope; it seeds the same {@link Identity}
 * and {@link Origin} through {@link HttpSeeds}, so the same services serve both.)</p>
 *
 * <p>Threads: the scope lives in a thread local of the calling thread (a Jetty thread handling the
 * WebSocket frame or the HTTP request) and is closed before this method returns, so work must not
 * escape to other threads while it is open.</p>
 */
@Singleton
public final class MessageScope {
    public void run(ServerSession session, ServerMessage message, Identity identity, Runnable work) {
        ServerTransport transport = message.getServerTransport();
        Map<Key<?>, Object> seeds = Map.of(
            Key.get(ServerSession.class), session,
            Key.get(ServerMessage.class), message,
            Key.get(Identity.class), identity,
            Key.get(Origin.class), new Origin(session.getId(), transport == null ? "local" : transport.getName(), RemoteAddress.of(message)));
        try (RequestScoper.CloseableScope ignored = ServletScopes.scopeRequest(seeds).open()) {
            work.run();
        }
    }
}
