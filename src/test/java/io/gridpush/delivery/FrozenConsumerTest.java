package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.bench.FreezingProxy;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.JsonValues;
import io.gridpush.cache.Versioned;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.support.Await;
import io.gridpush.support.Events;
import io.gridpush.support.TestGateway;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.cometd.server.ext.AcknowledgedMessagesSessionExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client stops reading (its socket stays open) while 1,000 keys are updated 100 times each: its
 * backlog on the server stays under the bound, a healthy client keeps receiving, and once the frozen
 * client reads again it ends with exactly the final value of every key.
 */
class FrozenConsumerTest {
    private static final int KEYS = 1000;
    private static final int ROUNDS = 100;
    private static final int BOUND = 1200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrozenConsumerIsBoundedAndCatchesUp(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", String.valueOf(BOUND),
                 "limits.subscriptionsPerSession", "10", "limits.snapshotEntries", String.valueOf(KEYS)));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            String proxied = "http://127.0.0.1:" + proxy.port() + "/cometd";
            GridpushClient frozen = GridpushClient.connect(proxied, GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            Map<String, Object> frozenView = new ConcurrentHashMap<>();
            Await.result(frozen.cache("default").watchAll(view(frozenView)).ready());
            Events healthy = new Events();
            Map<String, Object> healthyView = new ConcurrentHashMap<>();
            Await.result(gateway.client(transport).cache("default").watchAll(event -> {
                healthy.onEvent(event);
                view(healthyView).onEvent(event);
            }).ready());

            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            ServerSession session = bayeux.getSession(frozen.bayeux().getId());
            proxy.freeze();
            GridCache cache = gateway.gateway().grid().cache("default");
            int largest = 0;
            for (int round = 0; round < ROUNDS; ++round) {
                for (int k = 0; k < KEYS; ++k) {
                    cache.put("k" + k, Map.of("round", round), -1, -1);
                }
                largest = Math.max(largest, backlog(session));
            }
            largest = Math.max(largest, backlog(session));
            System.out.printf("frozen %s session: largest backlog %d messages (bound %d) after %d writes%n", transport, largest, BOUND, KEYS * ROUNDS);
            assertTrue(largest <= BOUND + 1, "the frozen session's backlog stayed under the bound: " + largest);

            Map<String, Object> expected = new HashMap<>();
            for (int k = 0; k < KEYS; ++k) {
                Versioned entry = cache.get("k" + k);
                expected.put(entry.key(), JsonValues.parse(entry.json()));
            }
            awaitView(healthyView, expected, "the healthy client kept receiving");

            proxy.thaw();
            awaitView(frozenView, expected, "the frozen client caught up");
            frozen.close();
        }
    }

    private static int backlog(ServerSession session) {
        ServerSessionImpl impl = (ServerSessionImpl)session;
        int queued = impl.getQueue().size();
        for (ServerSession.Extension extension : impl.getExtensions()) {
            if (extension instanceof AcknowledgedMessagesSessionExtension acks) {
                queued = Math.max(queued, acks.getBatchArrayQueue().size());
            }
        }
        return queued;
    }

    /** A listener that keeps the latest value per key, as a user's view would. */
    private static io.gridpush.client.CacheListener view(Map<String, Object> view) {
        return event -> {
            if (event.key() == null || event.type() == EventType.RESYNC) {
                return;
            }
            if (event.present()) {
                view.put(event.key(), normalize(event.value()));
            } else {
                view.remove(event.key());
            }
        };
    }

    private static Object normalize(Object value) {
        return value instanceof Map<?, ?> map ? Map.of("round", ((Number)map.get("round")).intValue()) : value;
    }

    private static void awaitView(Map<String, Object> view, Map<String, Object> expected, String what) throws InterruptedException {
        Map<String, Object> normalized = new HashMap<>();
        expected.forEach((k, v) -> normalized.put(k, normalize(v)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!normalized.equals(view) && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
        }
        Map<String, Object> seen = new HashMap<>(view);
        long wrong = normalized.entrySet().stream().filter(e -> !e.getValue().equals(seen.get(e.getKey()))).count();
        assertEquals(0, wrong, what + ": " + wrong + " of " + normalized.size() + " keys differ, for example " +
            normalized.entrySet().stream().filter(e -> !e.getValue().equals(seen.get(e.getKey()))).limit(3)
                .map(e -> e.getKey() + " expected " + e.getValue() + " saw " + seen.get(e.getKey())).toList());
        assertEquals(normalized.size(), seen.size(), what + ": no extra keys");
    }
}
