package io.gridpush.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.RemoteCache;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.GatewayProcess;
import io.gridpush.testkit.Nginx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache with a write-through file store survives kill -9: after a restart every acknowledged write is there, with its version. */
class PersistenceTest {
    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine(@TempDir Path data) throws Exception {
        int port = Nginx.freePort();
        List<String> jvm = List.of("-Xmx256m", "-Dgridpush.data=" + data);
        List<String> args = List.of("--http.port=" + port, "--demo.feeder=false", "--infinispan.config=embedded:infinispan-persistent.xml",
            "--caches.durable.read=[\"*\"]", "--caches.durable.write=[\"*\"]");
        String url = "http://127.0.0.1:" + port + "/cometd";
        Map<String, Long> acknowledged = new HashMap<>();
        long removedVersion;
        GatewayProcess node = new GatewayProcess(jvm, args).start();
        try (GridpushClient client = GridpushClient.connect(url, GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)))) {
            RemoteCache cache = client.cache("durable");
            for (int i = 0; i < 300; ++i) {
                String key = "d" + (i % 50);
                acknowledged.put(key, Await.result(cache.put(key, Map.of("i", i))).version());
            }
            assertTrue(Await.result(cache.remove("d7")));
            removedVersion = acknowledged.remove("d7");
        } finally {
            node.kill();
        }

        GatewayProcess restarted = new GatewayProcess(jvm, args).start();
        try (GridpushClient client = GridpushClient.connect(url, GridpushClient.Options.defaults().withTimeout(Duration.ofSeconds(20)))) {
            RemoteCache cache = client.cache("durable");
            int lost = 0;
            for (int k = 0; k < 50; ++k) {
                String key = "d" + k;
                var entry = Await.result(cache.get(key));
                if (key.equals("d7")) {
                    assertTrue(!entry.found(), "a remove survives too");
                } else if (!entry.found() || entry.version() != acknowledged.get(key)) {
                    ++lost;
                }
            }
            assertEquals(0, lost, "acknowledged writes lost across kill -9");
            long next = Await.result(cache.put("d7", "again")).version();
            assertTrue(next > removedVersion, "a re-create after the restart is versioned above the key's history");
        } finally {
            restarted.close();
        }
    }
}
