package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Server-Sent Events of one key and of a whole cache: a snapshot, then every change with its exact value
 * and version as the id, resumable with Last-Event-ID; a cache stream holds only the keys its identity
 * may read. Writers are Bayeux clients of either transport and HTTP.
 */
class ServerSentEventsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.tokens", "{ svc-token = svc, alice-token = alice }",
        "caches.demo.read", "[svc]",
        "caches.demo.write", "[svc]",
        "caches.demo.keys", "[{ match = \"user:{sub}:*\", read = [\"*\"] }]"));

    private static HttpApi api(String token) {
        return new HttpApi(gateway.gateway().uri(), token);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aKeyStreamSendsTheSnapshotThenEveryChange(Transport transport) throws Exception {
        String key = "sse-" + transport;
        HttpApi api = api("svc-token");
        RemoteCache writer = gateway.client(TestGateway.options(transport).withToken("svc-token")).cache("demo");
        long v0 = Await.result(writer.put(key, "zero")).version();
        try (HttpApi.Stream stream = api.events(HttpApi.entry("demo", key) + "/events")) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            HttpApi.Event snapshot = stream.next();
            assertEquals("snapshot", snapshot.type());
            assertEquals("zero", snapshot.data().get("value"));
            assertEquals(String.valueOf(v0), snapshot.id());

            long v1 = Await.result(writer.put(key, Map.of("n", 1))).version();
            Await.result(writer.remove(key));
            api.put(HttpApi.entry("demo", key), "[true]");
            HttpApi.Event modified = stream.next();
            HttpApi.Event removed = stream.next();
            HttpApi.Event created = stream.next();
            assertEquals("modified", modified.type());
            assertEquals(Map.of("n", 1L), modified.data().get("value"));
            assertEquals(String.valueOf(v1), modified.id());
            assertEquals("removed", removed.type());
            assertNull(removed.data().get("value"));
            assertEquals("created", created.type());
            assertEquals(1, ((Object[])created.data().get("value")).length);
            assertTrue(Long.parseLong(removed.id()) > v1 && Long.parseLong(created.id()) > Long.parseLong(removed.id()));
        }
    }

    @Test
    void resumingAtTheCurrentVersionSkipsTheSnapshotAndAStaleIdGetsTheStateNow() throws Exception {
        HttpApi api = api("svc-token");
        String path = HttpApi.entry("demo", "resume");
        long v1 = ((Number)api.put(path, "\"one\"").map().get("version")).longValue();
        try (HttpApi.Stream current = api.events(path + "/events", "Last-Event-ID", String.valueOf(v1))) {
            assertNull(current.poll(500), "nothing was missed, so nothing is sent");
            api.put(path, "\"two\"");
            HttpApi.Event next = current.next();
            assertEquals("modified", next.type());
            assertEquals("two", next.data().get("value"));
        }
        api.delete(path);
        try (HttpApi.Stream stale = api.events(path + "/events", "Last-Event-ID", String.valueOf(v1))) {
            HttpApi.Event state = stale.next();
            assertEquals("snapshot", state.type());
            assertEquals(false, state.data().get("found"), "the key was removed while the reader was away");
            assertTrue(((Number)state.data().get("version")).longValue() > v1, "with the remove's version: " + state.data());
        }
    }

    @Test
    void aCacheStreamHoldsOnlyTheKeysItsIdentityMayRead() throws Exception {
        HttpApi svc = api("svc-token");
        svc.put(HttpApi.entry("demo", "user:alice:before"), "1");
        svc.put(HttpApi.entry("demo", "secret:before"), "2");
        try (HttpApi.Stream alice = api("alice-token").events("caches/demo/events");
             HttpApi.Stream all = svc.events("caches/demo/events")) {
            Set<String> snapshot = new HashSet<>();
            HttpApi.Event event;
            while (!(event = alice.next()).type().equals("snapshot-end")) {
                assertEquals("snapshot", event.type());
                snapshot.add((String)event.data().get("key"));
            }
            assertTrue(snapshot.contains("user:alice:before"), snapshot.toString());
            assertTrue(snapshot.stream().allMatch(k -> k.startsWith("user:alice:")), snapshot.toString());
            assertEquals((long)snapshot.size(), event.data().get("count"));
            while (!all.next().type().equals("snapshot-end")) {
                // The admin's snapshot.
            }

            svc.put(HttpApi.entry("demo", "secret:after"), "\"hidden\"");
            svc.put(HttpApi.entry("demo", "user:alice:after"), "\"shown\"");
            // The admin's stream proves both changes were published before alice's is checked.
            Set<String> published = new HashSet<>();
            while (published.size() < 2) {
                HttpApi.Event change = all.next();
                if (change.type().equals("created")) {
                    published.add((String)change.data().get("key"));
                }
            }
            HttpApi.Event mine = alice.next();
            assertEquals("created", mine.type());
            assertEquals("user:alice:after", mine.data().get("key"));
            assertEquals("shown", mine.data().get("value"));
            assertNull(alice.poll(300), "the secret key's change is not sent to alice");
        }
    }

    @Test
    void aStreamIsRefusedWithTheContractsErrors() {
        HttpApi alice = api("alice-token");
        HttpApi.Answer forbidden = alice.get(HttpApi.entry("demo", "secret:x") + "/events");
        assertEquals(403, forbidden.status());
        assertEquals("forbidden", forbidden.error());
        assertEquals(404, alice.get("caches/nowhere/events").status());
        assertEquals(401, api(null).get("caches/demo/events").status());
    }
}
