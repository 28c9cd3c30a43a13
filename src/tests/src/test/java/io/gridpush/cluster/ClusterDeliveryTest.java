package io.gridpush.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.Test;

/**
 * Three gateway nodes on one Infinispan cluster (JGroups TCP on loopback), writers on every node and
 * subscribers on every node over both transports: every subscriber receives every change exactly once,
 * in version order, and ends on the final state.
 */
@org.junit.jupiter.api.parallel.ResourceLock("jgroups-loopback")
class ClusterDeliveryTest {
    private static final int KEYS = 5;
    private static final int WRITES_PER_NODE = 40;

    @Test
    void everyChangeReachesEverySubscriberOnEveryNodeExactlyOnceInOrder() throws Exception {
        // A cluster name of its own, so that no other test's nodes on loopback join it; the file of the source tree.
        Map<String, String> cluster = Map.of("infinispan.config", "config/infinispan-cluster.xml",
            "cluster.name", "delivery-" + java.util.UUID.randomUUID());
        List<TestGateway> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; ++i) {
                nodes.add(TestGateway.start(cluster));
            }
            assertEquals(3, nodes.get(0).gateway().injector().getInstance(io.gridpush.cache.InfinispanService.class)
                .manager().getMembers().size(), "the three nodes formed one cluster");
            // Writes start once the three-member topology is settled (no rebalance in flight), bounded.
            for (TestGateway node : nodes) {
                var distribution = node.gateway().injector().getInstance(io.gridpush.cache.InfinispanService.class)
                    .cache("default").getAdvancedCache().getDistributionManager();
                org.awaitility.Awaitility.await("no rebalance in flight").atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> !distribution.isRehashInProgress());
            }
            for (TestGateway node : nodes) {
                java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(node.gateway().uri().resolve("/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), "a node that joined serves: " + health.body());
            }

            // Raw subscribers (no client-side filter): what each node itself delivers.
            List<Map<String, List<Long>>> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(3 * 2 * KEYS);
            for (TestGateway node : nodes) {
                for (Transport transport : Transport.values()) {
                    GridpushClient client = node.client(TestGateway.options(transport).withTimeout(java.time.Duration.ofSeconds(60)));
                    Map<String, List<Long>> versions = new ConcurrentHashMap<>();
                    seen.add(versions);
                    CompletableFuture<Message> subscribed = new CompletableFuture<>();
                    client.bayeux().getChannel("/cache/default/*").subscribe((channel, message) -> {
                        Map<String, Object> data = message.getDataAsMap();
                        if (data.get("version") instanceof Number v && !"snapshot".equals(data.get("type"))) {
                            List<Long> list = versions.computeIfAbsent((String)data.get("key"), k -> new CopyOnWriteArrayList<>());
                            list.add(v.longValue());
                            if (list.size() == 3 * WRITES_PER_NODE) {
                                done.countDown();
                            }
                        }
                    }, subscribed::complete);
                    assertTrue(Await.result(subscribed).isSuccessful());
                }
            }
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int n = 0; n < 3; ++n) {
                var cache = nodes.get(n).client(TestGateway.options(Transport.WEBSOCKET).withTimeout(java.time.Duration.ofSeconds(60))).cache("default");
                for (int i = 0; i < WRITES_PER_NODE; ++i) {
                    for (int k = 0; k < KEYS; ++k) {
                        writes.add(cache.put("key-" + k, Map.of("node", n, "i", i)));
                    }
                }
            }
            writes.forEach(Await::result);
            assertTrue(done.await(60, TimeUnit.SECONDS), "every subscriber received every change: " + seen);
            for (Map<String, List<Long>> versions : seen) {
                for (int k = 0; k < KEYS; ++k) {
                    List<Long> list = versions.get("key-" + k);
                    assertEquals(3 * WRITES_PER_NODE, list.size(), "exactly once");
                    for (int i = 1; i < list.size(); ++i) {
                        assertTrue(list.get(i) > list.get(i - 1), "in version order: " + list);
                    }
                    long last = list.get(list.size() - 1);
                    for (TestGateway node : nodes) {
                        assertEquals(last, node.gateway().grid().cache("default").get("key-" + k).version(), "final state on every node");
                    }
                }
            }
        } finally {
            for (TestGateway node : nodes) {
                node.close();
            }
        }
    }
}
