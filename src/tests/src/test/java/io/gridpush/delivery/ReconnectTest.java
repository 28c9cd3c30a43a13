package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.FreezingProxy;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cometd.server.BayeuxServerImpl;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;

/**
 * Connections that drop: a storm of clients cut at once come back and converge to the final state, and
 * sessions of clients that vanish without disconnecting are swept, their memory released.
 */
class ReconnectTest {
    private static final int STORM = 200;

    @Test
    void aReconnectStormConvergesAndTheServerStaysHealthy() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.sessionsPerAddress", "-1", "limits.handshakesPerSecondPerAddress", "-1"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort());
             Shared shared = new Shared()) {
            String url = proxy.cometdUrl();
            GridCache cache = gateway.gateway().grid().cache("default");
            for (int k = 0; k < 10; ++k) {
                cache.put("storm-" + k, 0, -1, -1);
            }
            List<Map<String, Object>> views = new ArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(STORM);
            for (int i = 0; i < STORM; ++i) {
                GridpushClient client = GridpushClient.connect(url, GridpushClient.Options.defaults()
                    .withTransports(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING).withTimeout(Duration.ofSeconds(60))
                    .withShared(shared.http, shared.container, null));
                shared.clients.add(client);
                Map<String, Object> view = new ConcurrentHashMap<>();
                views.add(view);
                client.cache("default").watchAll(event -> {
                    if (event.type() == EventType.SNAPSHOT_END) {
                        subscribed.countDown();
                    } else if (event.key() != null && event.present()) {
                        view.put(event.key(), event.value());
                    }
                });
            }
            assertTrue(subscribed.await(120, TimeUnit.SECONDS), "every client subscribed");

            proxy.cut();
            Map<String, Object> expected = new HashMap<>();
            for (int k = 0; k < 10; ++k) {
                cache.put("storm-" + k, 1000 + k, -1, -1);
                expected.put("storm-" + k, (long)(1000 + k));
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(200))
                .ignoreExceptions().untilAsserted(() -> assertEquals(STORM, views.stream().filter(view -> expected.equals(new HashMap<>(view))).count(),
                    "clients that converged to the final state after the storm"));
            // The gateway still serves new sessions promptly.
            GridpushClient fresh = gateway.client(Transport.WEBSOCKET);
            assertEquals(1009L, Await.result(fresh.cache("default").get("storm-9")).value());
        }
    }

    @Test
    void sessionsOfClientsThatVanishAreSwept() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("bayeux.maxInterval", "2s", "bayeux.timeout", "1s"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            int before = bayeux.getSessions().size();
            List<GridpushClient> vanishing = new ArrayList<>();
            for (int i = 0; i < 20; ++i) {
                GridpushClient client = GridpushClient.connect(proxy.cometdUrl(),
                    GridpushClient.Options.defaults().withTransports(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING));
                Await.result(client.cache("default").watch("orphan-" + i, event -> { }).ready());
                vanishing.add(client);
            }
            assertEquals(before + 20, bayeux.getSessions().size());
            // The clients vanish without a /meta/disconnect: their network goes away for good.
            proxy.close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> assertEquals(before, bayeux.getSessions().size(), "orphaned sessions were swept"));
            long cacheSubscribers = bayeux.getChannels().stream().filter(c -> c.getId().startsWith("/cache/"))
                .mapToLong(c -> c.getSubscribers().size()).sum();
            assertEquals(0, cacheSubscribers, "and their subscriptions with them");
            vanishing.forEach(GridpushClient::close);
        }
    }

    /** One HttpClient and WebSocket container for many clients. */
    private static final class Shared implements AutoCloseable {
        final HttpClient http = new HttpClient();
        final JakartaWebSocketClientContainer container;
        final List<GridpushClient> clients = new ArrayList<>();

        Shared() throws Exception {
            http.setMaxConnectionsPerDestination(2 * STORM + 16);
            http.start();
            container = new JakartaWebSocketClientContainer(http) {
                {
                    // Created up front: Jetty creates it lazily without a lock (see LoadClients).
                    getWebSocketCoreClient();
                }
            };
            LifeCycle.start(container);
        }

        @Override
        public void close() throws Exception {
            clients.forEach(GridpushClient::close);
            LifeCycle.stop(container);
            http.stop();
        }
    }
}
