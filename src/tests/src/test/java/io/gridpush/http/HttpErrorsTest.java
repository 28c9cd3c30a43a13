package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad HTTP API requests get the contract's {@code {error, message}} with a fitting status, never a stack
 * trace, and write nothing: the key each case aims at is still as it was.
 */
class HttpErrorsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.tokens", "{ svc-token = svc, reader-token = reader }",
        "caches.default.read", "[svc, reader]",
        "caches.default.write", "[svc]",
        "limits.valueBytes", "1000"));

    private static final String TARGET = HttpApi.entry("default", "guarded");

    private static HttpApi svc() {
        return new HttpApi(gateway.gateway().uri(), "svc-token");
    }

    static Stream<Arguments> badRequests() {
        String big = "\"" + "x".repeat(2000) + "\"";
        return Stream.of(
            Arguments.of("not JSON", "PUT", TARGET, "{nope", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("two values", "PUT", TARGET, "1 2", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("empty body", "PUT", TARGET, "", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("null value", "PUT", TARGET, "null", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("lone surrogate", "PUT", TARGET, "\"\\ud800\"", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("a form, not JSON", "PUT", TARGET, "a=1", new String[] {"Content-Type", "application/x-www-form-urlencoded"}, 415, "bad_request"),
            Arguments.of("value over the limit", "PUT", TARGET, big, new String[] {"Content-Type", "application/json"}, 413, "too_large"),
            Arguments.of("mistyped lifespan", "PUT", TARGET + "?lifespanMs=soon", "1", new String[] {"Content-Type", "application/json"}, 400,
                "bad_request"),
            Arguments.of("lifespan below 1", "PUT", TARGET + "?lifespanMs=0", "1", new String[] {"Content-Type", "application/json"}, 400, "bad_request"),
            Arguments.of("both conditions", "PUT", TARGET, "1", new String[] {"Content-Type", "application/json", "If-Match", "\"1\"",
                "If-None-Match", "*"}, 400, "bad_request"),
            Arguments.of("If-None-Match with a tag", "PUT", TARGET, "1", new String[] {"Content-Type", "application/json", "If-None-Match", "\"1\""},
                400, "bad_request"),
            Arguments.of("If-Match naming no version", "PUT", TARGET, "1", new String[] {"Content-Type", "application/json", "If-Match", "\"abc\""},
                412, "precondition_failed"),
            Arguments.of("unknown cache", "PUT", HttpApi.entry("nowhere", "k"), "1", new String[] {"Content-Type", "application/json"}, 404,
                "unknown_cache"),
            Arguments.of("unknown path", "GET", "caches/default/things", null, new String[0], 404, "not_found"),
            Arguments.of("wrong method", "POST", TARGET, "1", new String[] {"Content-Type", "application/json"}, 405, "method_not_allowed"),
            Arguments.of("page limit over 1000", "GET", "caches/default/keys?limit=5000", null, new String[0], 400, "bad_request"),
            Arguments.of("repeated parameter", "GET", "caches/default/keys?limit=1&limit=2", null, new String[0], 400, "bad_request"),
            Arguments.of("batch of something else", "POST", "caches/default/batch", "[1]", new String[] {"Content-Type", "application/json"}, 400,
                "bad_request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void aBadRequestGetsAClearErrorAndWritesNothing(String name, String method, String path, String body, String[] headers, int status, String error) {
        HttpApi api = svc();
        int stored = api.put(TARGET, "\"kept\"").status();
        assertTrue(stored == 200 || stored == 201, "stored: " + stored);
        long before = version(api);
        HttpApi.Answer answer = api.send(method, path, body, headers);
        assertEquals(status, answer.status(), answer.text());
        assertEquals(error, answer.error());
        assertEquals(Set.of("error", "message"), answer.map().keySet(), answer.text());
        String message = String.valueOf(answer.map().get("message"));
        assertFalse(message.isBlank());
        assertFalse(message.contains("Exception") || message.contains("\tat ") || message.contains("io.gridpush"), message);
        assertEquals(before, version(api), "nothing was written");
        assertEquals("kept", api.get(TARGET).map().get("value"));
    }

    private static long version(HttpApi api) {
        return ((Number)api.get(TARGET).map().get("version")).longValue();
    }

    /** Jetty refuses a path that is not UTF-8 before the API sees it: a plain 400, no stack trace. */
    @Test
    void aPathThatIsNotUtf8IsRefused() {
        HttpApi.Answer answer = svc().put("caches/default/keys/%E2%28", "1");
        assertEquals(400, answer.status());
        assertFalse(answer.text().contains("Exception") || answer.text().contains("\tat "), answer.text());
    }

    @Test
    void noTokenOrABadOneIs401WithAChallenge() {
        HttpApi anonymous = new HttpApi(gateway.gateway().uri(), null);
        HttpApi.Answer none = anonymous.get(TARGET);
        assertEquals(401, none.status());
        assertEquals("unauthorized", none.error());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"), none.headers().toString());
        HttpApi.Answer bad = svc().as("not-a-token").put(TARGET, "\"stolen\"");
        assertEquals(401, bad.status());
        HttpApi.Answer basic = anonymous.send("GET", TARGET, null, "Authorization", "Basic c3ZjOnN2Yw==");
        assertEquals(401, basic.status());
        assertTrue(basic.map().get("message").toString().contains("Bearer"), basic.text());
        assertFalse("stolen".equals(svc().get(TARGET).map().get("value")));
    }

    @Test
    void aReaderMayReadButNotWrite() {
        svc().put(TARGET, "\"kept\"");
        HttpApi reader = svc().as("reader-token");
        assertEquals("kept", reader.get(TARGET).map().get("value"));
        HttpApi.Answer refused = reader.put(TARGET, "\"mine\"");
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.error());
        assertEquals(403, reader.delete(TARGET).status());
        HttpApi.Answer batch = reader.post("caches/default/batch", "{\"operations\":[{\"op\":\"put\",\"key\":\"guarded\",\"value\":\"mine\"}]}");
        assertEquals(200, batch.status());
        assertEquals("forbidden", ((Map<?, ?>)((Object[])batch.map().get("results"))[0]).get("error"));
        assertEquals("kept", svc().get(TARGET).map().get("value"));
    }

    @Test
    void theOpenApiDocumentDescribesEveryPath() {
        HttpApi.Answer answer = new HttpApi(gateway.gateway().uri(), null).get("openapi.json");
        assertEquals(200, answer.status(), "served without a token");
        Map<String, Object> document = answer.map();
        assertEquals("3.1.0", document.get("openapi"));
        Map<?, ?> paths = (Map<?, ?>)document.get("paths");
        assertEquals(Set.of("/caches/{cache}/keys/{key}", "/caches/{cache}/keys", "/caches/{cache}/batch", "/caches/{cache}/keys/{key}/events",
            "/caches/{cache}/events", "/openapi.json"), paths.keySet());
        Map<?, ?> entry = (Map<?, ?>)paths.get("/caches/{cache}/keys/{key}");
        assertNotNull(entry.get("get"));
        assertNotNull(entry.get("put"));
        assertNotNull(entry.get("delete"));
        assertNull(entry.get("post"), "the entry path answers POST with 405, so the document does not offer it");
    }
}
