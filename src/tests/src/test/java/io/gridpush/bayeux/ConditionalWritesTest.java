package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.Entry;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.Page;
import io.gridpush.client.RemoteCache;
import io.gridpush.client.WriteResult;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** putIfAbsent, replace and remove with a version condition; getAll; entries paging. */
class ConditionalWritesTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void conditionalWritesApplyOnlyWhenTheirConditionHolds(Transport transport) {
        RemoteCache cache = gateway.client(transport).cache("default");
        String key = "cond-" + transport;

        WriteResult first = Await.result(cache.putIfAbsent(key, "first"));
        assertTrue(first.applied());
        WriteResult second = Await.result(cache.putIfAbsent(key, "second"));
        assertFalse(second.applied());
        assertEquals(first.version(), second.version(), "putIfAbsent reports the version now present");
        assertEquals("first", Await.result(cache.get(key)).value());

        WriteResult stale = Await.result(cache.replace(key, "stale", first.version() - 1));
        assertFalse(stale.applied());
        assertEquals(first.version(), stale.version());
        WriteResult replaced = Await.result(cache.replace(key, "replaced", first.version()));
        assertTrue(replaced.applied());
        assertTrue(replaced.version() > first.version());
        assertEquals("replaced", Await.result(cache.get(key)).value());

        assertFalse(Await.result(cache.remove(key, first.version())), "remove with an old version does nothing");
        assertEquals("replaced", Await.result(cache.get(key)).value());
        assertTrue(Await.result(cache.remove(key, replaced.version())));
        assertFalse(Await.result(cache.get(key)).found());

        WriteResult onAbsent = Await.result(cache.replace(key, "nothing", replaced.version()));
        assertFalse(onAbsent.applied());
        assertEquals(-1, onAbsent.version(), "no version when nothing is present");
        WriteResult recreated = Await.result(cache.putIfAbsent(key, "again"));
        assertTrue(recreated.applied(), "putIfAbsent stores over a removed key");
        assertTrue(recreated.version() > replaced.version());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void getAllAnswersInRequestOrder(Transport transport) {
        RemoteCache cache = gateway.client(transport).cache("demo");
        Await.result(cache.put("ga-a-" + transport, 1L));
        Await.result(cache.put("ga-c-" + transport, 3L));
        List<Entry> entries = Await.result(cache.getAll(List.of("ga-c-" + transport, "ga-b-" + transport, "ga-a-" + transport)));
        assertEquals(3, entries.size());
        assertEquals("ga-c-" + transport, entries.get(0).key());
        assertEquals(3L, entries.get(0).value());
        assertFalse(entries.get(1).found());
        assertNull(entries.get(1).value());
        assertEquals(1L, entries.get(2).value());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void entriesPagesThroughEveryLiveEntryOnce(Transport transport) {
        String cacheName = transport == Transport.WEBSOCKET ? "default" : "demo";
        RemoteCache cache = gateway.client(transport).cache(cacheName);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 23; ++i) {
            String key = "page-" + transport + "-" + i;
            Await.result(cache.put(key, i));
            expected.add(key);
        }
        Await.result(cache.remove("page-" + transport + "-7"));
        expected.remove("page-" + transport + "-7");

        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Page page = Await.result(cache.entries(after, 5));
            assertTrue(page.entries().size() <= 5);
            page.entries().stream().filter(e -> e.key().startsWith("page-" + transport)).forEach(e -> {
                assertTrue(e.found());
                assertTrue(e.version() > 0);
                seen.add(e.key());
            });
            after = page.next();
            ++pages;
        } while (after != null && pages < 100);
        assertEquals(new ArrayList<>(expected), seen, "every live entry once, in key order");
    }
}
