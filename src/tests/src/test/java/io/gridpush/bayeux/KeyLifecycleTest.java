package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.Entry;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.client.WriteResult;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.Vectors;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole life of a key, over each transport: snapshot, create, modify, remove, re-create, expire. */
class KeyLifecycleTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyAwkwardKeyLivesAndDiesWithGrowingVersions(Transport transport) throws Exception {
        GridpushClient client = gateway.client(transport);
        assertEquals(transport == Transport.WEBSOCKET ? "websocket" : "long-polling", client.transport());
        // One cache per transport, so both runs see every key appear for the first time.
        RemoteCache cache = client.cache(transport == Transport.WEBSOCKET ? "default" : "demo");
        for (String key : Vectors.keys()) {
            Events events = new Events();
            Await.result(cache.watch(key, events).ready());
            CacheEvent snapshot = events.next();
            assertEquals(EventType.SNAPSHOT, snapshot.type(), key);
            assertFalse(snapshot.found());

            WriteResult created = Await.result(cache.put(key, Map.of("n", 1L)));
            CacheEvent createdEvent = events.next();
            assertEquals(EventType.CREATED, createdEvent.type(), key);
            assertEquals(key, createdEvent.key());
            assertEquals(created.version(), createdEvent.version());
            assertEquals(Map.of("n", 1L), createdEvent.value());

            WriteResult modified = Await.result(cache.put(key, "two"));
            assertTrue(modified.version() > created.version());
            assertEquals(Map.of("n", 1L), modified.previous().value());
            CacheEvent modifiedEvent = events.next();
            assertEquals(EventType.MODIFIED, modifiedEvent.type());
            assertEquals("two", modifiedEvent.value());

            Entry read = Await.result(cache.get(key));
            assertEquals(new Entry(key, true, "two", modified.version()), read);

            assertTrue(Await.result(cache.remove(key)));
            CacheEvent removed = events.next();
            assertEquals(EventType.REMOVED, removed.type());
            assertNull(removed.value());
            assertTrue(removed.version() > modified.version(), "a remove has a newer version");
            assertFalse(Await.result(cache.get(key)).found());
            assertFalse(Await.result(cache.remove(key)), "removing an absent key removes nothing");

            WriteResult recreated = Await.result(cache.put(key, 3L));
            CacheEvent again = events.next();
            assertEquals(EventType.CREATED, again.type(), "a put after a remove creates");
            assertTrue(recreated.version() > removed.version(), "versions grow across remove and re-create");
            assertEquals(recreated.version(), again.version());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anEntryWithALifespanExpiresAndSaysSo(Transport transport) throws Exception {
        RemoteCache cache = gateway.client(transport).cache("default");
        String key = "expiring-" + transport;
        Events events = new Events();
        Await.result(cache.watch(key, events).ready());
        WriteResult written = Await.result(cache.put(key, "brief", Duration.ofMillis(300), null));
        assertEquals(EventType.CREATED, events.next(EventType.CREATED).type());
        CacheEvent expired = events.next(EventType.EXPIRED);
        assertEquals(key, expired.key());
        assertTrue(expired.version() > written.version());
        assertFalse(Await.result(cache.get(key)).found());
        WriteResult after = Await.result(cache.put(key, "back"));
        assertTrue(after.version() > expired.version(), "a re-create after expiry is newer than the expiry");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void writesOfTheEmbeddingJavaApiArePushed(Transport transport) throws Exception {
        RemoteCache cache = gateway.client(transport).cache("demo");
        String key = "embedded-" + transport;
        Events events = new Events();
        Await.result(cache.watch(key, events).ready());
        events.next(EventType.SNAPSHOT);
        long version = gateway.gateway().grid().cache("demo").put(key, Map.of("from", "java"), -1, -1).version();
        CacheEvent event = events.next();
        assertEquals(EventType.CREATED, event.type());
        assertEquals(version, event.version());
        assertEquals(Map.of("from", "java"), event.value());
    }
}
