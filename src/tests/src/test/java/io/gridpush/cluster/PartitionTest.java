package io.gridpush.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.cache.InfinispanService;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.LocalCluster;
import io.gridpush.testkit.Partitions;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.infinispan.partitionhandling.AvailabilityMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * A real partition of a three-node cluster (JGroups DISCARD plus split views): the minority node answers
 * `unavailable` and its /health 503, the majority goes on writing, and after the merge every watcher on
 * every node, over both transports, shows the majority's state, removes included; nothing acknowledged is lost.
 */
@ResourceLock("jgroups-loopback")
class PartitionTest {
    private static final int KEYS = 6;

    @Test
    void theMinorityRefusesTheMajorityWritesAndEveryWatcherConvergesAfterTheMerge() throws Exception {
        try (LocalCluster cluster = new LocalCluster(Map.of()).start(3)) {
            List<Map<String, Object>> views = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int n = 0; n < 3; ++n) {
                for (Transport transport : Transport.values()) {
                    Map<String, Object> view = new ConcurrentHashMap<>();
                    GridpushClient client = cluster.node(n).client(TestGateway.options(transport).withTimeout(Duration.ofSeconds(30)));
                    Await.result(client.cache("default").watchAll(event -> show(view, event)).ready());
                    views.add(view);
                    names.add("node " + n + " over " + transport);
                }
            }
            RemoteCache minority = cluster.node(0).client(Transport.WEBSOCKET).cache("default");
            RemoteCache majority = cluster.node(1).client(Transport.WEBSOCKET).cache("default");
            for (int k = 0; k < KEYS; ++k) {
                Await.result(majority.put("p-" + k, 0));
            }

            Partitions.split(List.of(cluster.node(0)), List.of(cluster.node(1), cluster.node(2)));
            Awaitility.await("the minority degrades").atMost(Duration.ofSeconds(60))
                .until(() -> availability(cluster.node(0)) == AvailabilityMode.DEGRADED_MODE);
            assertEquals(AvailabilityMode.AVAILABLE, availability(cluster.node(1)), "the majority stays available");
            assertEquals(ErrorCode.UNAVAILABLE, Await.error(minority.put("p-0", 99)).code(), "the minority refuses writes");
            assertEquals(ErrorCode.UNAVAILABLE, Await.error(minority.get("p-0")).code(), "and reads");
            assertEquals(503, health(cluster.node(0)), "so its balancer takes it out");

            Map<String, Object> expected = new HashMap<>();
            for (int k = 0; k < KEYS - 1; ++k) {
                Await.result(majority.put("p-" + k, 1));
                expected.put("p-" + k, 1L);
            }
            Await.result(majority.remove("p-" + (KEYS - 1)));

            long healing = System.nanoTime();
            Partitions.heal(List.of(cluster.node(0), cluster.node(1), cluster.node(2)));
            Awaitility.await("every node available").atMost(Duration.ofSeconds(60))
                .until(() -> availability(cluster.node(0)) == AvailabilityMode.AVAILABLE && health(cluster.node(0)) == 200);
            // Awaited, not read once: on a loaded machine the merged view can lose the minority node again for a
            // moment (seen in a full run: merge view 4 of 3 members, then view 5 of 2), and it merges again.
            Awaitility.await("every node holds the majority's writes").atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                for (int n = 0; n < 3; ++n) {
                    for (int k = 0; k < KEYS; ++k) {
                        var entry = cluster.node(n).gateway().grid().cache("default").get("p-" + k);
                        assertEquals(expected.get("p-" + k), entry == null ? null : Long.valueOf(entry.json()), "node " + n + " p-" + k);
                    }
                }
            });
            for (int i = 0; i < views.size(); ++i) {
                Map<String, Object> view = views.get(i);
                int i2 = i;
                Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> assertEquals(expected, new HashMap<>(view), names.get(i2)));
            }
            System.out.printf("partition: merged and every watcher converged %.1f s after the sides could talk again%n",
                (System.nanoTime() - healing) / 1e9);
        }
    }

    private static void show(Map<String, Object> view, CacheEvent event) {
        if (event.key() == null || event.type() == EventType.RESYNC) {
            return;
        }
        if (event.present()) {
            view.put(event.key(), ((Number)event.value()).longValue());
        } else {
            view.remove(event.key());
        }
    }

    private static AvailabilityMode availability(TestGateway node) {
        return node.gateway().injector().getInstance(InfinispanService.class).cache("default").getAdvancedCache().getAvailability();
    }

    private static int health(TestGateway node) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(node.gateway().uri().resolve("/health")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
