package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JWTs as bearer tokens: their rights claim holds over HTTP as over Bayeux, an expired one is told apart
 * ({@code token_expired}), and an event stream ends when its token expires.
 */
class HttpTokensTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-http-secret";
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.jwt.hmacSecret", SECRET,
        "security.jwt.clockSkew", "0s",
        "caches.default.read", "[]",
        "caches.default.write", "[]"));

    private static String token(String subject, long expiresInMs, Map<String, Object> rights) throws Exception {
        return JwtTest.token(SECRET, subject, "https://login.example.com", "gridpush", expiresInMs, rights);
    }

    @Test
    void aJwtsRightsHoldOverHttp() throws Exception {
        HttpApi writer = new HttpApi(gateway.gateway().uri(), token("wes", 60_000, Map.of("read", List.of("default"), "write", List.of("default"))));
        HttpApi reader = writer.as(token("rae", 60_000, Map.of("read", List.of("default"))));
        assertEquals(201, writer.put(HttpApi.entry("default", "jwt-key"), "\"by wes\"").status());
        assertEquals("by wes", reader.get(HttpApi.entry("default", "jwt-key")).map().get("value"));
        HttpApi.Answer refused = reader.put(HttpApi.entry("default", "jwt-key"), "\"by rae\"");
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.error());
        assertEquals("by wes", reader.get(HttpApi.entry("default", "jwt-key")).map().get("value"));
    }

    @Test
    void anExpiredTokenIsToldApartAndItsStreamEnds() throws Exception {
        HttpApi api = new HttpApi(gateway.gateway().uri(), token("eve", 2500, Map.of("read", List.of("default"), "write", List.of("default"))));
        String path = HttpApi.entry("default", "short-lived");
        assertEquals(201, api.put(path, "1").status());
        try (HttpApi.Stream stream = api.events(path + "/events")) {
            assertEquals("snapshot", stream.next().type());
            assertEquals(200, api.put(path, "2").status());
            HttpApi.Event modified = stream.next();
            assertEquals(2L, modified.data().get("value"));
            HttpApi.Event last = stream.next();
            assertEquals("token_expired", last.type(), "the stream ends when its token expires");
            assertEquals("token_expired", last.data().get("error"));
            assertNull(stream.poll(500), "nothing after it");
        }
        Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> api.get(path).status() == 401);
        HttpApi.Answer expired = api.get(path);
        assertEquals("token_expired", expired.error());
        assertTrue(expired.header("WWW-Authenticate").contains("invalid_token"), expired.headers().toString());
        HttpApi.Answer forged = api.as(token("eve", 60_000, Map.of()).replace('a', 'b')).get(path);
        assertEquals(401, forged.status());
        assertEquals("unauthorized", forged.error(), "a forged token is not 'expired'");
    }
}
