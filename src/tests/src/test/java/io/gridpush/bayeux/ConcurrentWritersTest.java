package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.WriteResult;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * Many writers race on one key while subscribers on both transports watch it: every write gets its own
 * version, every subscriber sees versions only grow, and every subscriber ends on the last version.
 */
class ConcurrentWritersTest {
    private static final int WRITERS = 6;
    private static final int WRITES = 50;
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @Test
    void everySubscriberEndsOnTheLastVersionInOrder() throws Exception {
        String key = "contended";
        List<Events> watchers = new ArrayList<>();
        for (int i = 0; i < 6; ++i) {
            GridpushClient client = gateway.client(i % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING);
            Events events = new Events();
            Await.result(client.cache("default").watch(key, events).ready());
            Events all = new Events();
            Await.result(client.cache("default").watchAll(all).ready());
            watchers.add(events);
            watchers.add(all);
        }
        // Raw subscribers, without the client's version filter: what the server itself delivers.
        List<List<Long>> rawVersions = new ArrayList<>();
        List<java.util.concurrent.CountDownLatch> rawDone = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            List<Long> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(WRITERS * WRITES);
            rawDone.add(done);
            io.gridpush.testkit.Raw.subscribe(gateway.client(transport), io.gridpush.protocol.ChannelNames.keyChannel("default", key),
                (channel, message) -> {
                    Object version = message.getDataAsMap().get("version");
                    if (version instanceof Number n && !"snapshot".equals(message.getDataAsMap().get("type"))) {
                        seen.add(n.longValue());
                        done.countDown();
                    }
                });
            rawVersions.add(seen);
        }
        List<CompletableFuture<WriteResult>> writes = new ArrayList<>();
        for (int w = 0; w < WRITERS; ++w) {
            GridpushClient writer = gateway.client(w % 2 == 0 ? Transport.WEBSOCKET : Transport.LONG_POLLING);
            for (int i = 0; i < WRITES; ++i) {
                writes.add(writer.cache("default").put(key, "w" + w + "-" + i));
            }
        }
        Set<Long> versions = new HashSet<>();
        long last = -1;
        for (CompletableFuture<WriteResult> write : writes) {
            long version = Await.result(write).version();
            versions.add(version);
            last = Math.max(last, version);
        }
        assertEquals(WRITERS * WRITES, versions.size(), "every write got its own version");
        var finalEntry = Await.result(gateway.shared(Transport.WEBSOCKET).cache("default").get(key));
        assertEquals(last, finalEntry.version(), "the last version is what the cache holds");

        for (Events watcher : watchers) {
            long lastVersion = last;
            watcher.until(event -> event.version() == lastVersion);
            long previous = -1;
            for (CacheEvent event : watcher.snapshot()) {
                if (key.equals(event.key()) && event.version() >= 0) {
                    assertTrue(event.version() > previous, "versions only grow: " + previous + " then " + event.version());
                    previous = event.version();
                }
            }
            CacheEvent lastSeen = watcher.snapshot().get(watcher.snapshot().size() - 1);
            assertEquals(finalEntry.value(), lastSeen.value(), "ends on the final value");
        }
        for (int r = 0; r < rawVersions.size(); ++r) {
            rawDone.get(r).await(Events.WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            List<Long> copy = List.copyOf(rawVersions.get(r));
            assertEquals(WRITERS * WRITES, copy.size(), "every change delivered exactly once");
            for (int i = 1; i < copy.size(); ++i) {
                assertTrue(copy.get(i) > copy.get(i - 1), "the server delivers one key's events in version order");
            }
        }
    }
}
