package io.gridpush.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.GatewayProcess;
import io.gridpush.testkit.Haproxy;
import io.gridpush.testkit.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway processes on one cluster behind a real haproxy, all on loopback. One node is killed
 * (kill -9) while a writer writes and watchers watch through the balancer: the watchers reconnect
 * through it and converge to the final state, every acknowledged write can be read, and the killed
 * node, restarted, rejoins and serves snapshots.
 */
@org.junit.jupiter.api.parallel.ResourceLock("jgroups-loopback")
class ClusterFailoverTest {
    private static final int KEYS = 10;
    private static final int WRITES = 200;

    @Test
    void aKilledNodesClientsReconnectThroughTheBalancerAndNothingAcknowledgedIsLost(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Haproxy.installed(),
            "SKIPPED cluster failover test: haproxy is not installed (apt-get install haproxy; .ci/run does this)");
        String cluster = "failover-" + UUID.randomUUID();
        int[] ports = {Nginx.freePort(), Nginx.freePort(), Nginx.freePort()};
        List<GatewayProcess> nodes = new ArrayList<>();
        Haproxy haproxy = null;
        List<GridpushClient> clients = new ArrayList<>();
        try {
            long formation = System.nanoTime();
            for (int port : ports) {
                nodes.add(node(cluster, port).start());
            }
            System.out.printf("cluster of 3 formed in %.1f s%n", (System.nanoTime() - formation) / 1e9);
            haproxy = Haproxy.start(dir, ports);
            String url = haproxy.cometdUrl();

            List<Map<String, Object>> views = new ArrayList<>();
            List<AtomicLong> firstAfterKill = new ArrayList<>();
            AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
            for (int i = 0; i < 6; ++i) {
                GridpushClient watcher = GridpushClient.connect(url, GridpushClient.Options.defaults()
                    .withTransports(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING).withTimeout(Duration.ofSeconds(20)));
                clients.add(watcher);
                Map<String, Object> view = new ConcurrentHashMap<>();
                AtomicLong recovered = new AtomicLong(-1);
                views.add(view);
                firstAfterKill.add(recovered);
                Await.result(watcher.cache("default").watchAll(event -> {
                    if (event.key() == null || event.type() == EventType.RESYNC) {
                        return;
                    }
                    if (event.present()) {
                        view.put(event.key(), ((Number)event.value()).longValue());
                    }
                    long now = System.nanoTime();
                    if (now > killedAt.get()) {
                        recovered.compareAndSet(-1, now - killedAt.get());
                    }
                }).ready());
            }

            GridpushClient writerClient = GridpushClient.connect(url, GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)));
            clients.add(writerClient);
            RemoteCache writer = writerClient.cache("default");
            Map<String, Long> acknowledged = new HashMap<>();
            for (int i = 0; i < WRITES; ++i) {
                if (i == WRITES / 2) {
                    nodes.get(0).kill();
                    killedAt.set(System.nanoTime());
                }
                write(writerClient, writer, "k" + (i % KEYS), i);
                acknowledged.put("k" + (i % KEYS), (long)i);
            }

            for (int i = 0; i < views.size(); ++i) {
                awaitView(views.get(i), acknowledged, "watcher " + i);
            }
            List<Long> failover = new ArrayList<>();
            for (AtomicLong recovered : firstAfterKill) {
                failover.add(recovered.get());
            }
            Collections.sort(failover);
            System.out.printf("failover seen by clients: median %.2f s, max %.2f s%n", failover.get(failover.size() / 2) / 1e9,
                failover.get(failover.size() - 1) / 1e9);

            GridpushClient reader = GridpushClient.connect(url, GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)));
            clients.add(reader);
            int lost = 0;
            for (Map.Entry<String, Long> write : acknowledged.entrySet()) {
                Object value = Await.result(reader.cache("default").get(write.getKey())).value();
                lost += write.getValue().equals(((Number)value).longValue()) ? 0 : 1;
            }
            assertEquals(0, lost, "lost acknowledged writes");

            // The killed node comes back, rejoins, and its new clients get snapshots of the current state.
            nodes.set(0, node(cluster, ports[0]).start());
            GridpushClient direct = GridpushClient.connect("http://127.0.0.1:" + ports[0] + "/cometd",
                GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)));
            clients.add(direct);
            Map<String, Object> rejoined = new ConcurrentHashMap<>();
            CountDownLatch ended = new CountDownLatch(1);
            Await.result(direct.cache("default").watchAll(event -> {
                if (event.type() == EventType.SNAPSHOT && event.found()) {
                    rejoined.put(event.key(), ((Number)event.value()).longValue());
                } else if (event.type() == EventType.SNAPSHOT_END) {
                    ended.countDown();
                }
            }).ready());
            assertTrue(ended.await(20, TimeUnit.SECONDS));
            assertEquals(new HashMap<String, Object>(acknowledged), new HashMap<>(rejoined), "the restarted node serves the current state");
        } finally {
            clients.forEach(GridpushClient::close);
            if (haproxy != null) {
                haproxy.close();
            }
            for (GatewayProcess node : nodes) {
                node.close();
            }
        }
    }

    static GatewayProcess node(String cluster, int port) {
        return new GatewayProcess(List.of("-Xmx256m"),
            List.of("--http.port=" + port, "--infinispan.config=embedded:infinispan-cluster.xml", "--cluster.name=" + cluster, "--demo.feeder=false",
                "--limits.sessionsPerAddress=-1", "--limits.handshakesPerSecondPerAddress=-1"));
    }

    /**
     * Writes until acknowledged: a write in flight to a node that dies fails, and a stopping node answers
     * `unavailable` until it closes the connection; either way the write is sent again, backing off a little
     * longer each time (as a real client would) while the client moves to another node.
     */
    static void write(GridpushClient client, RemoteCache writer, String key, long value) {
        GridpushException last = null;
        for (int attempt = 1; attempt <= 20; ++attempt) {
            try {
                Await.result(writer.put(key, value));
                return;
            } catch (GridpushException x) {
                last = x;
                org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(100L * attempt))
                    .atMost(java.time.Duration.ofSeconds(5)).until(() -> true);
                client.bayeux().waitFor(10_000, org.cometd.client.BayeuxClient.State.CONNECTED);
            }
        }
        throw new AssertionError("write of " + key + " never acknowledged", last);
    }

    static void awaitView(Map<String, Object> view, Map<String, Long> expected, String who) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
            assertEquals(new HashMap<String, Object>(expected), new HashMap<>(view), who + " converged to the final state"));
    }
}
