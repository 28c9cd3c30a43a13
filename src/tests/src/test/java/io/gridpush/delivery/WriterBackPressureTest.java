package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.bayeux.BacklogGuard;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.Versioned;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.client.WriteResult;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.FreezingProxy;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.cometd.server.BayeuxServerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writer back-pressure (delivery.writeLagLimit): a writer that outruns what the gateway can push is told to
 * slow down with {@code rate_limited}, and nothing it was told is applied; what it was acknowledged is what
 * the watchers end with. A frozen consumer alone never refuses a write: its pushes wait on its network, not
 * on the gateway.
 */
class WriterBackPressureTest {
    private static final int WATCHERS = 40;
    private static final int KEYS = 200;
    private static final int WRITES = 4000;
    private static final int IN_FLIGHT = 200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aWriterOutrunningDeliveryIsToldAndNothingRefusedIsApplied(Transport transport) throws Exception {
        // One flush thread and 40 watchers of every key: a burst of puts is far more pushes than it can write.
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.writeLagLimit", "50ms", "delivery.flushThreads", "1",
            "limits.operationsPerSecond", "-1"))) {
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < KEYS; ++k) {
                keys.add("bp-" + k);
            }
            View view = new View();
            Await.result(gateway.client(Transport.WEBSOCKET).cache("default").watchAll(view).ready());
            for (int w = 1; w < WATCHERS; ++w) {
                Await.result(gateway.client(Transport.WEBSOCKET).cache("default").watchAll(event -> { }).ready());
            }
            GridpushClient writer = GridpushClient.connect(gateway.url(),
                TestGateway.options(transport).withTimeout(Duration.ofSeconds(60)));
            RemoteCache cache = writer.cache("default");
            List<CompletableFuture<WriteResult>> puts = new ArrayList<>();
            // 2 KB values: 40 watchers make 80 KB to write per put, far more than the flush thread writes.
            String pad = "x".repeat(2000);
            for (int i = 0; i < WRITES; ++i) {
                Map<String, Object> value = new LinkedHashMap<>();
                value.put("i", i);
                value.put("pad", pad);
                puts.add(cache.put(keys.get(i % KEYS), value));
                if (i >= IN_FLIGHT) {
                    // At most IN_FLIGHT unanswered (a long-polling client queues at most 1024 requests).
                    puts.get(i - IN_FLIGHT).handle((r, x) -> r).get(120, TimeUnit.SECONDS);
                }
            }
            // Per key, the acknowledged put with the highest version is what must be stored.
            Map<String, long[]> newest = new HashMap<>();
            int refused = 0;
            String message = null;
            for (int i = 0; i < WRITES; ++i) {
                try {
                    WriteResult result = puts.get(i).get(120, TimeUnit.SECONDS);
                    long[] best = newest.computeIfAbsent(keys.get(i % KEYS), k -> new long[]{-1, -1});
                    if (result.version() > best[0]) {
                        best[0] = result.version();
                        best[1] = i;
                    }
                } catch (ExecutionException x) {
                    GridpushException error = (GridpushException)x.getCause();
                    assertEquals(ErrorCode.RATE_LIMITED, error.code(), error.getMessage());
                    message = error.getMessage();
                    ++refused;
                }
            }
            assertTrue(refused > 0, "some of " + WRITES + " puts were refused while 40 watchers fell behind");
            assertTrue(message.contains("behind") && message.contains("slow down"), message);
            GridCache server = gateway.gateway().grid().cache("default");
            for (String key : keys) {
                long[] best = newest.get(key);
                Versioned stored = server.get(key);
                if (best == null) {
                    // Every put of this key was refused: none was applied.
                    assertEquals(null, stored, key + " was never acknowledged, so it is not stored");
                } else {
                    assertNotNull(stored, key);
                    assertEquals(best[0], stored.version(), key + ": the newest acknowledged version is stored");
                    assertTrue(stored.json().startsWith("{\"i\":" + best[1] + ","), key + ": the newest acknowledged value is stored, not "
                        + stored.json().substring(0, 20));
                }
            }
            // Once the pushes have caught up, writes are accepted again, and the watchers end with the server's state.
            // A refusal fails the put's future (ignored: tried again); an accepted put ends the wait.
            Awaitility.await("writes are accepted again once deliveries caught up").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> cache.put("bp-after", 1).get(30, TimeUnit.SECONDS).applied());
            keys.add("bp-after");
            view.awaitEquals(View.serverState(server, keys), "the watcher converged on what was acknowledged");
            writer.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrozenConsumerAloneNeverRefusesAWrite(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.operationsPerSecond", "-1"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            GridpushClient frozen = GridpushClient.connect(proxy.cometdUrl(),
                GridpushClient.Options.defaults().withTransports(Transport.WEBSOCKET).withTimeout(Duration.ofSeconds(30)));
            Await.result(frozen.cache("default").watchAll(event -> { }).ready());
            proxy.freeze();
            RemoteCache cache = gateway.client(transport).cache("default");
            // 6 MB of changes: more than the kernel's socket buffers hold, so the frozen session falls behind. Each
            // to its own key, so that conflation (from delivery.conflateAt) cannot shrink them below what those
            // buffers absorb: with 100 keys rewritten, the conflated backlog fitted and the session was not behind.
            String pad = "x".repeat(2000);
            for (int batch = 0; batch < 30; ++batch) {
                List<CompletableFuture<WriteResult>> puts = new ArrayList<>();
                for (int i = 0; i < 100; ++i) {
                    puts.add(cache.put("frozen-" + (batch * 100 + i), Map.of("batch", batch, "pad", pad)));
                }
                for (CompletableFuture<WriteResult> put : puts) {
                    assertTrue(Await.result(put).applied(), "a write is accepted while only a frozen consumer is behind");
                }
            }
            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            assertTrue(BacklogGuard.backlogOf(bayeux.getSession(frozen.bayeux().getId())) > 0, "the frozen consumer was behind");
            proxy.thaw();
            frozen.close();
        }
    }
}
