package io.gridpush.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.LocalCluster;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What a watcher sees in a cluster, on every node and both transports: each change exactly once, with its
 * type and value. Infinispan's clustered-listener events from a remote primary owner carry no old value,
 * so before gridpush stored the "replaced a live entry" bit with each write, only the watchers on a key's
 * primary owner saw {@code modified} and {@code removed}; the others saw {@code created} and nothing.
 */
@ResourceLock("jgroups-loopback")
class ClusterEventsTest {
    private static final int KEYS = 12;
    private static final Duration LIFESPAN = Duration.ofMillis(1500);

    /** One watcher's events of one key, as "type value" strings, e.g. "created 1", "removed". */
    record Watcher(String who, Map<String, List<String>> events) {
    }

    @Test
    void everyWatcherOnEveryNodeSeesTheTypesValuesAndRemovesOfEveryChange() throws Exception {
        try (LocalCluster cluster = new LocalCluster(Map.of()).start(3)) {
            List<Watcher> watchers = watchEverywhere(cluster);
            List<String> expected = List.of("created 1", "modified 2", "removed", "created 3", "removed", "created 4", "expired");
            List<java.util.concurrent.CompletableFuture<?>> writes = new ArrayList<>();
            for (int k = 0; k < KEYS; ++k) {
                // Each key written through a different node, so that each node is a non-owner for some writers.
                RemoteCache cache = writer(cluster.node(k % 3)).cache("default");
                String key = "key-" + k;
                writes.add(cache.put(key, 1)
                    .thenCompose(r -> cache.put(key, 2))
                    .thenCompose(r -> cache.remove(key))
                    .thenCompose(r -> cache.put(key, 3))
                    .thenCompose(r -> cache.remove(key))
                    .thenCompose(r -> cache.put(key, 4, LIFESPAN, null)));
            }
            writes.forEach(Await::result);
            for (Watcher watcher : watchers) {
                for (int k = 0; k < KEYS; ++k) {
                    String key = "key-" + k;
                    // Expiry comes from the owners' reaper (every second) after the 1.5 s lifespan.
                    Awaitility.await(watcher.who() + " sees " + key + " expire").atMost(Duration.ofSeconds(30))
                        .until(() -> watcher.events().getOrDefault(key, List.of()).size() >= expected.size());
                    assertEquals(expected, watcher.events().get(key), watcher.who() + ", " + key);
                }
            }
        }
    }

    @Test
    void aTopologyChangeDeliversEveryChangeOnceToEveryWatcher() throws Exception {
        try (LocalCluster cluster = new LocalCluster(Map.of()).start(3)) {
            // Raw subscriptions: the client's version rule would hide a duplicate; this sees what the nodes send.
            List<Watcher> watchers = new ArrayList<>();
            for (int n = 1; n < cluster.size(); ++n) {
                for (Transport transport : Transport.values()) {
                    watchers.add(rawWatcher("node " + n + " over " + transport,
                        cluster.node(n).client(TestGateway.options(transport).withTimeout(Duration.ofSeconds(30)))));
                }
            }
            RemoteCache cache = writer(cluster.node(1)).cache("default");
            int rounds = 60;
            java.util.concurrent.CompletableFuture<Void> writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= rounds; ++i) {
                    for (int k = 0; k < 4; ++k) {
                        Await.result(cache.put("hot-" + k, i));
                    }
                }
            });
            // A node joins, then the coordinator leaves, while the writer writes: each rebalances the owners of
            // every key, and Infinispan retries the writes under way.
            cluster.add();
            cluster.remove(0);
            Await.result(writing);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= rounds; ++i) {
                expected.add((i == 1 ? "created " : "modified ") + i);
            }
            for (Watcher watcher : watchers) {
                for (int k = 0; k < 4; ++k) {
                    String key = "hot-" + k;
                    Awaitility.await(watcher.who() + " sees every change of " + key).atMost(Duration.ofSeconds(30))
                        .until(() -> watcher.events().getOrDefault(key, List.of()).size() >= rounds);
                    // A duplicate would arrive right after its original: give it the moment to.
                    Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
                    assertEquals(expected, watcher.events().get(key), watcher.who() + ", " + key + ": each change once, in order");
                }
            }
        }
    }

    /** A raw wildcard subscription, recording each delivered change as "type value" (no version rule). */
    private static Watcher rawWatcher(String who, GridpushClient client) {
        Watcher watcher = new Watcher(who, new ConcurrentHashMap<>());
        java.util.concurrent.CompletableFuture<org.cometd.bayeux.Message> subscribed = new java.util.concurrent.CompletableFuture<>();
        client.bayeux().getChannel(io.gridpush.protocol.ChannelNames.cacheChannel("default")).subscribe((channel, message) -> {
            Map<String, Object> data = message.getDataAsMap();
            String type = (String)data.get("type");
            if (data.get("key") instanceof String key && !"snapshot".equals(type)) {
                watcher.events().computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                    .add(type + (data.get("value") == null ? "" : " " + data.get("value")));
            }
        }, subscribed::complete);
        Await.result(subscribed);
        return watcher;
    }

    /** A wildcard watcher on every node over both transports, recording every change (not snapshots). */
    static List<Watcher> watchEverywhere(LocalCluster cluster) {
        List<Watcher> watchers = new ArrayList<>();
        for (int n = 0; n < cluster.size(); ++n) {
            for (Transport transport : Transport.values()) {
                Watcher watcher = new Watcher("node " + n + " over " + transport, new ConcurrentHashMap<>());
                GridpushClient client = cluster.node(n).client(TestGateway.options(transport).withTimeout(Duration.ofSeconds(30)));
                Await.result(client.cache("default").watchAll(event -> record(watcher, event)).ready());
                watchers.add(watcher);
            }
        }
        return watchers;
    }

    private static void record(Watcher watcher, CacheEvent event) {
        if (event.key() == null || event.type() == EventType.SNAPSHOT || event.type() == EventType.RESYNC) {
            return;
        }
        watcher.events().computeIfAbsent(event.key(), k -> new CopyOnWriteArrayList<>())
            .add(event.type().wire() + (event.value() == null ? "" : " " + event.value()));
    }

    private static GridpushClient writer(TestGateway node) {
        return node.client(TestGateway.options(Transport.WEBSOCKET).withTimeout(Duration.ofSeconds(30)));
    }
}
