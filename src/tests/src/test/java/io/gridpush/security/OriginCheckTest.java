package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.RawHttp;
import io.gridpush.testkit.TestGateway;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Origin allow-list: a foreign page gets no WebSocket (no 101) and no long poll; Jetty's
 * CrossOriginHandler answers both with 400 "origin not allowed". Allowed origins get CORS headers.
 */
class OriginCheckTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("security.origins", "[\"https://app.example.com\", \"http://127.0.0.1:*\"]"));

    @Test
    void aForeignOriginGetsNoWebSocketUpgrade() throws Exception {
        URI base = gateway.gateway().uri();
        String foreign = RawHttp.exchange(base, RawHttp.upgrade("https://evil.example.net"), null);
        assertEquals(400, RawHttp.status(foreign), foreign);
        String allowed = RawHttp.exchange(base, RawHttp.upgrade("https://app.example.com"), null);
        assertEquals(101, RawHttp.status(allowed), allowed);
        assertStillServes();
    }

    @Test
    void aForeignOriginGetsNoLongPollAndAllowedOnesGetCors() throws Exception {
        URI base = gateway.gateway().uri();
        String foreign = RawHttp.exchange(base, "POST /cometd/handshake HTTP/1.1\r\nOrigin: https://evil.example.net", RawHttp.HANDSHAKE);
        assertEquals(400, RawHttp.status(foreign), foreign);

        String allowed = RawHttp.exchange(base, "POST /cometd/handshake HTTP/1.1\r\nOrigin: https://app.example.com", RawHttp.HANDSHAKE);
        assertEquals(200, RawHttp.status(allowed), allowed);
        assertTrue(allowed.contains("Access-Control-Allow-Origin: https://app.example.com"), allowed);
        assertTrue(allowed.contains("Access-Control-Allow-Credentials: true"), allowed);

        String preflight = RawHttp.exchange(base, "OPTIONS /cometd/handshake HTTP/1.1\r\nOrigin: https://app.example.com\r\n" +
            "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type", null);
        assertTrue(RawHttp.status(preflight) < 300, preflight);
        assertTrue(preflight.contains("Access-Control-Allow-Origin: https://app.example.com"), preflight);

        String wildcardPort = RawHttp.exchange(base, "POST /cometd/handshake HTTP/1.1\r\nOrigin: http://127.0.0.1:4711", RawHttp.HANDSHAKE);
        assertEquals(200, RawHttp.status(wildcardPort), wildcardPort);
        String notThePath = RawHttp.exchange(base, "POST /cometd/handshake HTTP/1.1\r\nOrigin: http://127.0.0.1:4711.evil.net", RawHttp.HANDSHAKE);
        assertEquals(400, RawHttp.status(notThePath), "a port wildcard does not match another host: " + notThePath);
        assertFalse(foreign.contains("Access-Control-Allow-Origin"), foreign);
        assertStillServes();
    }

    private static void assertStillServes() {
        var cache = gateway.shared(Transport.LONG_POLLING).cache("default");
        long version = Await.result(cache.put("origin-ok", 1)).version();
        assertEquals(version, Await.result(cache.get("origin-ok")).version());
    }
}
