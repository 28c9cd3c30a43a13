package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.client.Entry;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.Page;
import io.gridpush.client.RemoteCache;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.LocalCluster;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code entries} pages come from the key index (O(page), not a scan per page): every live key exactly
 * once, in key order, with its current value; removed keys never; on a local gateway over both
 * transports, and in a cluster where the writes, the removes and the paging go through different nodes.
 */
class PagingTest {
    @RegisterExtension
    static final TestGateway GATEWAY = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void pagesListEveryLiveKeyOnceInOrderWithItsValue(Transport transport) {
        RemoteCache cache = GATEWAY.client(transport).cache("default");
        String prefix = "paging-" + transport + "-";
        Map<String, Object> expected = writeAndRemove(cache, cache, prefix);
        assertEquals(expected, listAll(cache, prefix, 40));
    }

    @Test
    @org.junit.jupiter.api.parallel.ResourceLock("jgroups-loopback")
    void inAClusterEveryNodePagesWhatEveryOtherWrote() throws Exception {
        try (LocalCluster cluster = new LocalCluster(Map.of()).start(3)) {
            RemoteCache writer = cluster.node(0).client(Transport.WEBSOCKET).cache("default");
            RemoteCache remover = cluster.node(1).client(Transport.LONG_POLLING).cache("default");
            Map<String, Object> expected = writeAndRemove(writer, remover, "c-");
            for (int n = 0; n < 3; ++n) {
                assertEquals(expected, listAll(cluster.node(n).client(Transport.WEBSOCKET).cache("default"), "c-", 25), "paged on node " + n);
            }
        }
    }

    /** 120 keys written, every third removed, every fifth overwritten; returns what should be live. */
    private static Map<String, Object> writeAndRemove(RemoteCache writer, RemoteCache remover, String prefix) {
        Map<String, Object> live = new TreeMap<>();
        for (int i = 0; i < 120; ++i) {
            String key = prefix + String.format("%03d", i);
            Await.result(writer.put(key, (long)i));
            live.put(key, (long)i);
        }
        for (int i = 0; i < 120; ++i) {
            String key = prefix + String.format("%03d", i);
            if (i % 3 == 0) {
                Await.result(remover.remove(key));
                live.remove(key);
            } else if (i % 5 == 0) {
                Await.result(remover.put(key, "v" + i));
                live.put(key, "v" + i);
            }
        }
        return live;
    }

    /** Every entry with {@code prefix}, page by page, checking that keys come in order and only once. */
    private static Map<String, Object> listAll(RemoteCache cache, String prefix, int limit) {
        Map<String, Object> seen = new TreeMap<>();
        List<String> order = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; ++pages) {
            Page page = Await.result(cache.entries(after, limit));
            for (Entry entry : page.entries()) {
                if (entry.key().startsWith(prefix)) {
                    order.add(entry.key());
                    assertEquals(null, seen.put(entry.key(), entry.value()), "listed once: " + entry.key());
                }
            }
            if (page.next() == null) {
                break;
            }
            after = page.next();
        }
        List<String> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(sorted, order, "in key order");
        return seen;
    }
}
