package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Counts live sessions per remote address, for {@code limits.sessionsPerAddress}. Counts go up when
 * CometD adds a session and down when it removes one (disconnect, or swept after {@code maxInterval}),
 * and an address's entry goes away with its last session.
 */
@Singleton
public final class AddressSessions implements BayeuxServer.SessionListener {
    private static final String ADDRESS = AddressSessions.class.getName() + ".address";
    private final int max;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    @Inject
    public AddressSessions(GatewayConfig config) {
        this.max = config.limits().sessionsPerAddress();
    }

    /** Whether one more session may come from the address of this handshake. */
    boolean admits(ServerMessage handshake) {
        if (GatewayConfig.Limits.unlimited(max)) {
            return true;
        }
        AtomicInteger count = counts.get(RemoteAddress.of(handshake));
        return count == null || count.get() < max;
    }

    @Override
    public void sessionAdded(ServerSession session, ServerMessage message) {
        if (session.isLocalSession()) {
            return;
        }
        String address = RemoteAddress.of(message);
        session.setAttribute(ADDRESS, address);
        counts.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
        String address = (String)session.getAttribute(ADDRESS);
        if (address != null) {
            counts.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }
}
