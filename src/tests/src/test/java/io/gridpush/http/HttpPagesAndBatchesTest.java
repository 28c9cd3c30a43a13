package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.gridpush.scope.AuditEntry;
import io.gridpush.scope.AuditSink;
import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Paging through a cache, batches of writes, and what the audit and the request scope see of HTTP
 * requests: one Caller per request shared by its access check and audit, one record per write.
 */
class HttpPagesAndBatchesTest {
    private static final List<AuditEntry> AUDIT = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.tokens", "{ svc-token = svc, alice-token = alice }",
        "caches.demo.read", "[svc]",
        "caches.demo.write", "[svc]",
        "caches.demo.keys", "[{ match = \"user:{sub}:*\", read = [\"*\"], write = [\"*\"] }]"), new AbstractModule() {
            @Override
            protected void configure() {
                bind(AuditSink.class).toInstance(AUDIT::add);
            }
        });

    private static HttpApi api(String token) {
        return new HttpApi(gateway.gateway().uri(), token);
    }

    @Test
    void pagesVisitEveryEntryOnceAndOnlyThoseTheCallerMayRead() {
        HttpApi svc = api("svc-token");
        Map<String, Long> written = new TreeMap<>();
        List<Object> operations = new ArrayList<>();
        for (int i = 0; i < 250; ++i) {
            String key = (i % 5 == 0 ? "user:alice:" : "other:") + String.format("pg-%03d", i);
            operations.add(Map.of("op", "put", "key", key, "value", i));
            written.put(key, (long)i);
        }
        HttpApi.Answer batch = svc.post("caches/demo/batch", new org.eclipse.jetty.util.ajax.JSON().toJSON(Map.of("operations", operations)));
        assertEquals(200, batch.status(), batch.text());
        assertEquals(250, ((Object[])batch.map().get("results")).length);

        assertEquals(written, readAll(svc, 100));
        Map<String, Long> alices = new TreeMap<>(written);
        alices.keySet().removeIf(key -> !key.startsWith("user:alice:"));
        assertEquals(50, alices.size());
        assertEquals(alices, readAll(api("alice-token"), 30), "a page holds only the keys its caller may read");
    }

    private static Map<String, Long> readAll(HttpApi api, int limit) {
        Map<String, Long> seen = new TreeMap<>();
        String after = null;
        for (int pages = 0; pages < 100; ++pages) {
            HttpApi.Answer page = api.get("caches/demo/keys?limit=" + limit + (after == null ? "" : "&after=" + HttpApi.segment(after)));
            assertEquals(200, page.status(), page.text());
            for (Object item : (Object[])page.map().get("entries")) {
                Map<?, ?> entry = (Map<?, ?>)item;
                if (!((String)entry.get("key")).contains(":pg-")) {
                    // The demo feeder's keys.
                    continue;
                }
                assertEquals(null, seen.put((String)entry.get("key"), (Long)entry.get("value")), "each key once: " + entry.get("key"));
                assertTrue(entry.get("version") instanceof Long);
            }
            after = (String)page.map().get("next");
            if (after == null) {
                return seen;
            }
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void aBatchRunsEachWriteInOrderAndAnswersEachOnItsOwn() {
        HttpApi svc = api("svc-token");
        long v1 = ((Number)svc.put(HttpApi.entry("demo", "b-cas"), "1").map().get("version")).longValue();
        svc.put(HttpApi.entry("demo", "b-doomed"), "\"x\"");
        String body = "{\"operations\":["
            + "{\"op\":\"put\",\"key\":\"b-new\",\"value\":{\"a\":[1,2]}},"
            + "{\"op\":\"putIfAbsent\",\"key\":\"b-new\",\"value\":\"ignored\"},"
            + "{\"op\":\"replace\",\"key\":\"b-cas\",\"value\":2,\"ifVersion\":" + (v1 - 1) + "},"
            + "{\"op\":\"replace\",\"key\":\"b-cas\",\"value\":3,\"ifVersion\":" + v1 + "},"
            + "{\"op\":\"remove\",\"key\":\"b-doomed\"},"
            + "{\"op\":\"get\",\"key\":\"b-new\"},"
            + "{\"op\":\"put\",\"key\":\"b-null\",\"value\":null}]}";
        HttpApi.Answer answer = svc.post("caches/demo/batch", body);
        assertEquals(200, answer.status(), answer.text());
        Object[] results = (Object[])answer.map().get("results");
        assertEquals(7, results.length);
        assertEquals("put", item(results, 0).get("op"));
        assertEquals(false, item(results, 1).get("stored"), "putIfAbsent saw the put before it");
        assertEquals(false, item(results, 2).get("replaced"));
        assertEquals(true, item(results, 3).get("replaced"));
        assertEquals(true, item(results, 4).get("removed"));
        assertEquals("bad_request", item(results, 5).get("error"), "a batch holds writes only");
        assertEquals("bad_request", item(results, 6).get("error"));

        assertEquals(Map.of("a", List.of(1L, 2L)), toLists(svc.get(HttpApi.entry("demo", "b-new")).map().get("value")));
        assertEquals(3L, svc.get(HttpApi.entry("demo", "b-cas")).map().get("value"));
        assertEquals(404, svc.get(HttpApi.entry("demo", "b-doomed")).status());
        assertEquals(404, svc.get(HttpApi.entry("demo", "b-null")).status());

        String tooMany = "{\"operations\":[" + String.join(",", Collections.nCopies(1001, "{\"op\":\"remove\",\"key\":\"x\"}")) + "]}";
        HttpApi.Answer refused = svc.post("caches/demo/batch", tooMany);
        assertEquals(413, refused.status());
        assertEquals("too_large", refused.error());
    }

    @Test
    void everyHttpWriteIsAuditedWithTheRequestsOneCaller() {
        HttpApi svc = api("svc-token");
        svc.put(HttpApi.entry("demo", "audited"), "1");
        api("alice-token").put(HttpApi.entry("demo", "audited"), "2");
        svc.post("caches/demo/batch", "{\"operations\":[{\"op\":\"put\",\"key\":\"audited-a\",\"value\":1},{\"op\":\"remove\",\"key\":\"audited-b\"}]}");

        List<AuditEntry> single = entries("audited");
        assertEquals(2, single.size(), single.toString());
        assertEquals("svc", single.get(0).caller().identity().name());
        assertEquals("http", single.get(0).caller().transport());
        assertEquals("ok", single.get(0).outcome());
        assertTrue(single.get(0).caller().remoteAddress().contains("127.0.0.1"), single.get(0).caller().remoteAddress());
        assertEquals("alice", single.get(1).caller().identity().name());
        assertEquals("forbidden", single.get(1).outcome(), "a refused write is audited too");
        assertNotSame(single.get(0).caller(), single.get(1).caller(), "each request has its own Caller");

        AuditEntry put = entries("audited-a").get(0);
        AuditEntry remove = entries("audited-b").get(0);
        assertEquals("put", put.operation());
        assertEquals("remove", remove.operation());
        assertSame(put.caller(), remove.caller(), "a batch's writes share their request's Caller");
        assertSame(put.caller(), put.checkedBy(), "the access check and the audit saw the same Caller");
        assertFalse(AUDIT.stream().anyMatch(e -> e.operation().equals("get")), "reads are not audited");
    }

    private static List<AuditEntry> entries(String key) {
        synchronized (AUDIT) {
            return AUDIT.stream().filter(e -> e.keys().equals(List.of(key))).toList();
        }
    }

    private static Map<?, ?> item(Object[] results, int i) {
        return (Map<?, ?>)results[i];
    }

    private static Object toLists(Object value) {
        if (value instanceof Object[] array) {
            List<Object> list = new ArrayList<>();
            for (Object item : array) {
                list.add(toLists(item));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(k, toLists(v)));
            return copy;
        }
        return value;
    }
}
