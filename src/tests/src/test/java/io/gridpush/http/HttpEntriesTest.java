package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads and writes over the HTTP API, as a service in any language makes them: the version is the ETag,
 * If-Match and If-None-Match make writes conditional, a failed condition writes nothing, and Bayeux
 * watchers on either transport see what HTTP wrote (and HTTP reads what Bayeux wrote).
 */
class HttpEntriesTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("security.tokens", "{ svc-token = svc }"));

    private static HttpApi api() {
        return new HttpApi(gateway.gateway().uri(), "svc-token");
    }

    @Test
    void theVersionIsTheETagAndAnUnchangedEntryIsNotSentAgain() {
        HttpApi api = api();
        String path = HttpApi.entry("default", "etag-key");
        HttpApi.Answer created = api.put(path, "{\"home\":2,\"away\":1}");
        assertEquals(201, created.status(), created.text());
        long version = ((Number)created.map().get("version")).longValue();
        assertEquals("\"" + version + "\"", created.header("ETag"));

        HttpApi.Answer read = api.get(path);
        assertEquals(200, read.status());
        assertEquals(Map.of("home", 2L, "away", 1L), read.map().get("value"));
        assertEquals(version, ((Number)read.map().get("version")).longValue());
        assertEquals("etag-key", read.map().get("key"));
        assertEquals(created.header("ETag"), read.header("ETag"));

        HttpApi.Answer same = api.get(path, "If-None-Match", created.header("ETag"));
        assertEquals(304, same.status());
        assertEquals("", same.text());

        HttpApi.Answer replaced = api.put(path, "\"later\"");
        assertEquals(200, replaced.status(), "a put over a value is not a creation");
        Map<?, ?> previous = (Map<?, ?>)replaced.map().get("previous");
        assertEquals(Map.of("home", 2L, "away", 1L), previous.get("value"));
        assertEquals(version, ((Number)previous.get("version")).longValue());
        assertEquals(200, api.get(path, "If-None-Match", created.header("ETag")).status(), "a stale ETag gets the new value");
    }

    @Test
    void ifNoneMatchStarCreatesOnlyWhenAbsent() {
        HttpApi api = api();
        String path = HttpApi.entry("default", "create-once");
        HttpApi.Answer first = api.put(path, "\"first\"", "If-None-Match", "*");
        assertEquals(201, first.status(), first.text());
        HttpApi.Answer second = api.put(path, "\"second\"", "If-None-Match", "*");
        assertEquals(412, second.status());
        assertEquals("precondition_failed", second.error());
        assertEquals(first.map().get("version"), second.map().get("version"), "the 412 tells the version present");
        assertEquals("first", api.get(path).map().get("value"), "the refused write changed nothing");
    }

    @Test
    void ifMatchReplacesOnlyTheNamedVersion() {
        HttpApi api = api();
        String path = HttpApi.entry("default", "cas");
        String v1 = api.put(path, "1").header("ETag");
        String v2 = api.put(path, "2", "If-Match", v1).header("ETag");
        assertNotEquals(v1, v2);
        HttpApi.Answer stale = api.put(path, "3", "If-Match", v1);
        assertEquals(412, stale.status());
        assertEquals(v2, stale.header("ETag"), "the 412 names the current version");
        assertEquals(2L, api.get(path).map().get("value"));

        assertEquals(200, api.put(path, "4", "If-Match", "*").status(), "If-Match: * replaces whatever is there");
        assertEquals(4L, api.get(path).map().get("value"));
        HttpApi.Answer absent = api.put(HttpApi.entry("default", "cas-absent"), "1", "If-Match", "*");
        assertEquals(412, absent.status());
        assertEquals(404, api.get(HttpApi.entry("default", "cas-absent")).status(), "If-Match on an absent key creates nothing");
    }

    @Test
    void deleteRemovesAndIfMatchGuardsIt() {
        HttpApi api = api();
        String path = HttpApi.entry("default", "doomed");
        String v1 = api.put(path, "\"a\"").header("ETag");
        String v2 = api.put(path, "\"b\"").header("ETag");
        assertEquals(412, api.delete(path, "If-Match", v1).status());
        assertEquals("b", api.get(path).map().get("value"), "a stale conditional delete removes nothing");
        assertEquals(204, api.delete(path, "If-Match", v2).status());
        HttpApi.Answer gone = api.get(path);
        assertEquals(404, gone.status());
        assertEquals("not_found", gone.error());
        assertEquals(404, api.delete(path).status(), "removing an absent key is 404");
    }

    /** Keys are one percent-encoded segment: slashes, percent signs, plus signs, spaces and any Unicode. */
    @ParameterizedTest
    @ValueSource(strings = {"a/b", "100%", "1+1", "with space", "ünïcødé-€-😀", "..", "$00", "?x=1#y"})
    void anyKeyRoundTrips(String key) {
        HttpApi api = api();
        String path = HttpApi.entry("default", key);
        assertEquals(201, api.put(path, "{\"k\":\"" + key.replace("\"", "\\\"") + "\"}").status());
        HttpApi.Answer read = api.get(path);
        assertEquals(200, read.status(), read.text());
        assertEquals(key, read.map().get("key"));
        assertEquals(Map.of("k", key), read.map().get("value"));
        assertEquals(key, gateway.gateway().grid().cache("default").get(key).key(), "stored under the key as written");
        assertEquals(204, api.delete(path).status());
    }

    /** What HTTP writes, Bayeux watchers see as events with the exact values; what Bayeux writes, HTTP reads. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void bayeuxWatchersSeeHttpWritesAndHttpReadsBayeuxWrites(Transport transport) throws Exception {
        HttpApi api = api();
        String key = "http-to-" + transport;
        GridpushClient client = gateway.client(TestGateway.options(transport).withToken("svc-token"));
        RemoteCache cache = client.cache("default");
        Events events = new Events();
        Await.result(cache.watch(key, events).ready());
        assertEquals(EventType.SNAPSHOT, events.next().type());

        api.put(HttpApi.entry("default", key), "{\"n\":1}");
        api.put(HttpApi.entry("default", key), "[1,2,3]");
        api.delete(HttpApi.entry("default", key));
        CacheEvent created = events.next();
        CacheEvent modified = events.next();
        CacheEvent removed = events.next();
        assertEquals(List.of(EventType.CREATED, EventType.MODIFIED, EventType.REMOVED), List.of(created.type(), modified.type(), removed.type()));
        assertEquals(Map.of("n", 1L), created.value());
        assertEquals(List.of(1L, 2L, 3L), modified.value(), "arrays are Lists on both transports");
        assertNull(removed.value());
        assertTrue(created.version() < modified.version() && modified.version() < removed.version());

        long version = Await.result(cache.put(key + "-b", "from bayeux")).version();
        HttpApi.Answer read = api.get(HttpApi.entry("default", key + "-b"));
        assertEquals("from bayeux", read.map().get("value"));
        assertEquals("\"" + version + "\"", read.header("ETag"));
        assertFalse(read.text().contains("found"), "an HTTP read is the entry, not the Bayeux reply: " + read.text());
    }
}
