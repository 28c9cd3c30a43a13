package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An idle WebSocket session keeps nothing of the HTTP connection it was upgraded from (Jetty 12.1 kept the
 * whole HTTP/1.1 connection, parser, channel and servlet request reachable from the session's copy of
 * the upgrade; {@link DetachedUpgrade}), while what the session offers of its upgrade still reads the
 * same: the upgrade's headers through Jetty's session, the address, URL and {@code User-Agent} through
 * CometD's context ({@link SessionContext}), and every change still arrives.
 *
 * <p>WebSocket only: a long-polling session's HTTP connections are in use for as long as it lives.
 */
class UpgradeRetentionTest {
    private static final int SESSIONS = 5;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @Test
    void upgradedConnectionsAreCollectedAndTheUpgradeStillReadsTheSame() throws Exception {
        Server server = gateway.gateway().getBean(Server.class);
        List<WeakReference<Connection>> httpConnections = new CopyOnWriteArrayList<>();
        Connection.Listener tracker = new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (!(connection instanceof WebSocketConnection)) {
                    httpConnections.add(new WeakReference<>(connection));
                }
            }
        };
        for (Connector connector : server.getConnectors()) {
            connector.addEventListener(tracker);
        }
        BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
        Map<String, BayeuxContext> contexts = new ConcurrentHashMap<>();
        List<GridpushClient> clients = new ArrayList<>();
        List<Events> events = new ArrayList<>();
        try {
            for (int i = 0; i < SESSIONS; ++i) {
                GridpushClient client = GridpushClient.connect(gateway.url(),
                    GridpushClient.Options.defaults().withTransports(Transport.WEBSOCKET).withTimeout(Duration.ofSeconds(20)));
                clients.add(client);
                bayeux.getSession(client.bayeux().getId()).addExtension(new ServerSession.Extension() {
                    @Override
                    public boolean rcvMeta(ServerSession session, ServerMessage.Mutable message) {
                        contexts.putIfAbsent(session.getId(), message.getBayeuxContext());
                        return true;
                    }
                });
                Events received = new Events();
                events.add(received);
                Await.result(client.cache("default").watch("retention", received).ready());
                assertEquals(EventType.SNAPSHOT, received.next().type());
            }
            assertEquals(SESSIONS, httpConnections.size(), "one HTTP/1.1 connection upgraded per session");

            // Bounded: each pass asks for a full collection; a connection some thread still holds for an
            // instant after its upgrade is let go within a pass or two.
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                System.gc();
                return httpConnections.stream().allMatch(reference -> reference.get() == null);
            });

            ServletContextHandler context = server.getDescendant(ServletContextHandler.class);
            Collection<Session> sessions = ServerWebSocketContainer.get(context.getContext()).getOpenSessions();
            assertEquals(SESSIONS, sessions.size());
            URI uri = URI.create(gateway.url());
            for (Session session : sessions) {
                assertEquals(uri.getHost() + ":" + uri.getPort(), session.getUpgradeRequest().getHeader("Host"));
                assertEquals("13", session.getUpgradeRequest().getHeader("Sec-WebSocket-Version"));
                assertNotNull(session.getUpgradeRequest().getHeader("Sec-WebSocket-Key"));
                // The response as it stood when the endpoint was made, as Jetty's own copy reads (its status and
                // Sec-WebSocket-Accept come later): the Origin handling in front had answered Vary.
                assertEquals("Origin", session.getUpgradeResponse().getHeader("Vary"));
            }

            long version = gateway.gateway().grid().cache("default").put("retention", Map.of("n", 7), -1, -1).version();
            for (Events received : events) {
                CacheEvent event = received.next();
                assertEquals(EventType.CREATED, event.type());
                assertEquals(version, event.version());
                assertEquals(Map.of("n", 7L), event.value());
            }

            assertEquals(SESSIONS, contexts.values().stream().distinct().count(), "one context per session");
            for (GridpushClient client : clients) {
                ServerSessionImpl session = (ServerSessionImpl) bayeux.getSession(client.bayeux().getId());
                BayeuxContext seen = contexts.get(session.getId());
                assertEquals("127.0.0.1", ((InetSocketAddress) seen.getRemoteAddress()).getAddress().getHostAddress());
                assertEquals(gateway.url(), seen.getURL());
                assertNotNull(session.getUserAgent(), "CometD read the User-Agent at the handshake");
                assertEquals(session.getUserAgent(), seen.getHeader("user-agent"), "headers are case-insensitive");
                assertNull(seen.getHeader("Sec-WebSocket-Key"), "the session keeps only the headers read after the upgrade");
            }
        } finally {
            for (GridpushClient client : clients) {
                client.close();
            }
            for (Connector connector : server.getConnectors()) {
                connector.removeEventListener(tracker);
            }
        }
    }
}
