package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.GridCache;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.TestGateway;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A subscription first delivers the current state: one snapshot per key, or every entry and snapshot-end. */
class SnapshotTest {
    // A small snapshot limit, to see truncation; "default" holds 3 entries, "demo" 5.
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("limits.snapshotEntries", "4"));

    @BeforeAll
    static void seed() {
        GridCache small = gateway.gateway().grid().cache("default");
        GridCache large = gateway.gateway().grid().cache("demo");
        for (int i = 0; i < 5; ++i) {
            if (i < 3) {
                small.put("k" + i, Map.of("i", i), -1, -1);
            }
            large.put("k" + i, Map.of("i", i), -1, -1);
        }
        small.put("gone", 1, -1, -1);
        small.remove("gone", -1);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void keySnapshotCarriesTheCurrentValueOrNotFound(Transport transport) throws Exception {
        RemoteCache cache = gateway.client(transport).cache("default");
        Events present = new Events();
        Await.result(cache.watch("k1", present).ready());
        CacheEvent snapshot = present.next();
        assertEquals(EventType.SNAPSHOT, snapshot.type());
        assertTrue(snapshot.found());
        assertEquals(Map.of("i", 1L), snapshot.value());
        assertEquals(Await.result(cache.get("k1")).version(), snapshot.version());

        Events absent = new Events();
        Await.result(cache.watch("gone", absent).ready());
        CacheEvent none = absent.next();
        assertEquals(EventType.SNAPSHOT, none.type());
        assertFalse(none.found(), "a removed key's snapshot is not found");
        // gridpush's addition: the remove's version, which a client's version gate records.
        assertTrue(none.version() > 0, "the remove's version: " + none);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wildcardSnapshotSendsEveryLiveEntryThenSnapshotEnd(Transport transport) throws Exception {
        RemoteCache cache = gateway.client(transport).cache("default");
        Events events = new Events();
        Await.result(cache.watchAll(events).ready());
        Map<String, Object> seen = new HashMap<>();
        CacheEvent event;
        while ((event = events.next()).type() == EventType.SNAPSHOT) {
            assertTrue(event.found());
            seen.put(event.key(), event.value());
        }
        assertEquals(EventType.SNAPSHOT_END, event.type());
        assertEquals(Map.of("k0", Map.of("i", 0L), "k1", Map.of("i", 1L), "k2", Map.of("i", 2L)), seen, "tombstones are not entries");
        assertEquals(3, event.count());
        assertFalse(event.truncated());
        assertEquals(null, events.poll(300), "snapshot-end arrives exactly once");

        Await.result(cache.put("k9-" + transport, "later"));
        CacheEvent change = events.next();
        assertEquals(EventType.CREATED, change.type(), "changes follow the snapshot");
        assertEquals("k9-" + transport, change.key());
        Await.result(cache.remove("k9-" + transport));
        assertEquals(EventType.REMOVED, events.next().type());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void wildcardSnapshotIsTruncatedAtTheLimit(Transport transport) throws Exception {
        // On the wire, as any Bayeux client sees it.
        BlockingQueue<Map<String, Object>> wire = new LinkedBlockingQueue<>();
        Message reply = Raw.subscribe(gateway.client(transport), "/cache/demo/*", (channel, message) -> wire.add(message.getDataAsMap()));
        assertTrue(reply.isSuccessful());
        int snapshots = 0;
        Map<String, Object> data;
        while ("snapshot".equals((data = Await.poll(wire)).get("type"))) {
            ++snapshots;
        }
        assertEquals(4, snapshots);
        assertEquals("snapshot-end", data.get("type"));
        assertEquals(4, ((Number)data.get("count")).intValue());
        assertEquals(true, data.get("truncated"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theClientCompletesATruncatedSnapshotByPaging(Transport transport) throws Exception {
        Events events = new Events();
        Await.result(gateway.client(transport).cache("demo").watchAll(events).ready());
        Map<String, Object> seen = new HashMap<>();
        CacheEvent event;
        while ((event = events.next()).type() == EventType.SNAPSHOT) {
            seen.put(event.key(), event.value());
        }
        assertEquals(EventType.SNAPSHOT_END, event.type());
        assertEquals(5, seen.size(), "every entry, past the gateway's limit of 4: " + seen.keySet());
        for (int i = 0; i < 5; ++i) {
            assertEquals(((Number)((Map<?, ?>)seen.get("k" + i)).get("i")).intValue(), i);
        }
        assertEquals(5, event.count());
        assertFalse(event.truncated());
    }
}
