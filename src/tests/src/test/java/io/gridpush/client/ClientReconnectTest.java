package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import java.util.Map;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java client finds a transport by itself, and re-subscribes and re-syncs after a re-handshake. */
class ClientReconnectTest {
    @Test
    void fallsBackToLongPollingWhenWebSocketIsNotOffered() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("bayeux.transports", "[long-polling]"))) {
            GridpushClient client = gateway.client(GridpushClient.Options.defaults());
            assertEquals("long-polling", client.transport());
            long version = Await.result(client.cache("default").put("fallback", "works")).version();
            assertEquals(version, Await.result(client.cache("default").get("fallback")).version());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resubscribesAndResyncsAfterTheServerForgetsTheSession(Transport transport) throws Exception {
        // A short poll timeout, so the client's pending /meta/connect returns soon and learns its session is gone.
        try (TestGateway gateway = TestGateway.start(Map.of("bayeux.timeout", "2s"))) {
            GridpushClient client = gateway.client(transport);
            RemoteCache cache = client.cache("default");
            Await.result(cache.put("score", 1));
            Events key = new Events();
            Events all = new Events();
            Await.result(cache.watch("score", key).ready());
            Await.result(cache.watchAll(all).ready());
            assertEquals(1L, key.next(EventType.SNAPSHOT).value());
            all.next(EventType.SNAPSHOT_END);
            String before = client.bayeux().getId();

            // The session expires on the server (as after a long outage); meanwhile the key changes twice.
            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            ServerSession session = bayeux.getSession(before);
            bayeux.removeServerSession(session, true);
            gateway.gateway().grid().cache("default").put("score", 2, -1, -1);
            long missed = gateway.gateway().grid().cache("default").put("score", 3, -1, -1).version();

            CacheEvent resynced = key.until(e -> e.version() >= missed);
            // Usually the re-subscription's snapshot; a fast re-handshake may be in place before the last write.
            assertEquals(3L, resynced.value(), "the re-subscribed watch reaches the state written while the session was gone");
            assertEquals(3L, all.until(e -> e.version() >= missed).value());
            assertNotEquals(before, client.bayeux().getId(), "a new session");

            long next = Await.result(cache.put("score", 4)).version();
            CacheEvent change = key.next();
            assertEquals(EventType.MODIFIED, change.type());
            assertEquals(next, change.version());
            assertTrue(key.poll(300) == null, "each change arrives once after the re-subscription");
        }
    }

    /**
     * The connection-status listener hears each transition once: connected, lost, back, closed. The loss
     * is the gateway forgetting the session (as after an outage longer than bayeux.maxInterval): the held
     * /meta/connect fails with 402, and the client handshakes again by itself.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionListenerHearsLossRecoveryAndClose(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("bayeux.timeout", "2s"))) {
            GridpushClient client = gateway.client(transport);
            java.util.concurrent.LinkedBlockingQueue<ConnectionListener.Status> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            client.addConnectionListener((status, reason) -> heard.add(status));
            assertEquals(ConnectionListener.Status.CONNECTED, Await.poll(heard), "told the current status at once");
            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            bayeux.removeServerSession(bayeux.getSession(client.bayeux().getId()), true);
            assertEquals(ConnectionListener.Status.DISCONNECTED, Await.poll(heard), "the connection was lost");
            assertEquals(ConnectionListener.Status.CONNECTED, Await.poll(heard), "and came back by itself");
            client.close();
            assertEquals(ConnectionListener.Status.CLOSED, Await.poll(heard));
            assertEquals(null, heard.poll(), "each transition once");
        }
    }
}
