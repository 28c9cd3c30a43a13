package io.gridpush.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.GatewayProcess;
import io.gridpush.testkit.Haproxy;
import io.gridpush.testkit.Nginx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The README's rolling restart, done for real: three gateway processes behind the shipped haproxy, a
 * writer and watchers (both transports) through it; each node in turn gets SIGTERM, is started again and
 * is waited for (/health 200) before the next. Every operation gets an answer (a stopping node answers
 * `unavailable`; none is met with silence), no acknowledged write is lost, and every watcher converges.
 */
@ResourceLock("jgroups-loopback")
class RollingRestartTest {
    private static final int KEYS = 8;

    @Test
    void aRollingRestartLosesNoAcknowledgedWriteAndLeavesNoOperationUnanswered(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Haproxy.installed(), "SKIPPED rolling restart test: haproxy is not installed (.ci/run installs it)");
        String cluster = "rolling-" + UUID.randomUUID();
        int[] ports = {Nginx.freePort(), Nginx.freePort(), Nginx.freePort()};
        List<GatewayProcess> nodes = new ArrayList<>();
        List<GridpushClient> clients = new ArrayList<>();
        try (Haproxy haproxy = startAll(dir, cluster, ports, nodes)) {
            List<Map<String, Object>> views = new ArrayList<>();
            for (int i = 0; i < 4; ++i) {
                GridpushClient watcher = GridpushClient.connect(haproxy.cometdUrl(), GridpushClient.Options.defaults()
                    .withTransports(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING).withTimeout(Duration.ofSeconds(20)));
                clients.add(watcher);
                Map<String, Object> view = new ConcurrentHashMap<>();
                views.add(view);
                Await.result(watcher.cache("default").watchAll(event -> {
                    if (event.key() != null && event.type() != EventType.RESYNC && event.present()) {
                        view.put(event.key(), ((Number)event.value()).longValue());
                    }
                }).ready());
            }
            GridpushClient writerClient = GridpushClient.connect(haproxy.cometdUrl(), GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)));
            clients.add(writerClient);
            RemoteCache writer = writerClient.cache("default");
            Map<String, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger unanswered = new AtomicInteger();
            AtomicBoolean restarting = new AtomicBoolean(true);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                // Bounded: at most 20,000 writes, and it stops once the restarts are over.
                for (long i = 0; i < 20_000 && (restarting.get() || i < 100); ++i) {
                    String key = "r" + (i % KEYS);
                    try {
                        Await.result(writer.put(key, i));
                        acknowledged.put(key, i);
                    } catch (GridpushException x) {
                        // A sequential writer can pass a node's 500 operations per second when puts are fast;
                        // `rate_limited` is refused and unapplied like `unavailable`, and a client backs off and retries.
                        if (x.code() != ErrorCode.UNAVAILABLE && x.code() != ErrorCode.RATE_LIMITED) {
                            throw x;
                        }
                        if (x.getMessage().startsWith("no reply")) {
                            unanswered.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                        }
                        writerClient.bayeux().waitFor(10_000, org.cometd.client.BayeuxClient.State.CONNECTED);
                        ClusterFailoverTest.write(writerClient, writer, key, i);
                        acknowledged.put(key, i);
                    }
                }
            });
            List<Double> restartSeconds = new ArrayList<>();
            for (int n = 0; n < 3; ++n) {
                long start = System.nanoTime();
                nodes.get(n).close();
                nodes.set(n, ClusterFailoverTest.node(cluster, ports[n]).start());
                int port = ports[n];
                Awaitility.await("node " + n + " serves again").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> health(port) == 200);
                restartSeconds.add((System.nanoTime() - start) / 1e9);
            }
            restarting.set(false);
            writing.get(120, java.util.concurrent.TimeUnit.SECONDS);
            for (int i = 0; i < views.size(); ++i) {
                ClusterFailoverTest.awaitView(views.get(i), acknowledged, "watcher " + i);
            }
            GridpushClient reader = GridpushClient.connect(haproxy.cometdUrl(), GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)));
            clients.add(reader);
            int lost = 0;
            for (Map.Entry<String, Long> write : acknowledged.entrySet()) {
                lost += write.getValue().equals(((Number)Await.result(reader.cache("default").get(write.getKey())).value()).longValue()) ? 0 : 1;
            }
            System.out.printf("rolling restart: node restarts took %s s; %d writes refused (unavailable, rate_limited) and retried, %d unanswered, %d lost%n",
                restartSeconds, refused.get(), unanswered.get(), lost);
            assertEquals(0, lost, "lost acknowledged writes");
            assertEquals(0, unanswered.get(), "operations met with silence");
        } finally {
            clients.forEach(GridpushClient::close);
            for (GatewayProcess node : nodes) {
                node.close();
            }
        }
    }

    private static Haproxy startAll(Path dir, String cluster, int[] ports, List<GatewayProcess> nodes) throws Exception {
        for (int port : ports) {
            nodes.add(ClusterFailoverTest.node(cluster, port).start());
        }
        return Haproxy.start(dir, ports);
    }

    private static int health(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception x) {
            return -1;
        }
    }
}
