package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.RawHttp;
import io.gridpush.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow clients are cut by a bound, not served forever: headers trickled a byte at a time are cut by
 * {@code limits.httpHeaderTimeout} (the idle timeout never fires on them), and a body that arrives too
 * slowly gets 408, never a 5xx.
 */
class SlowClientsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("limits.httpHeaderTimeout", "2s", "limits.httpIdleTimeout", "30s",
        // Off by default (see config/gridpush.conf); on here, where the slow-body refusal is what is tested.
        "limits.minRequestDataRate", "1024"));

    @Test
    void headersTrickledAByteAtATimeAreCut() throws Exception {
        String answer = trickle("POST /cometd/handshake HTTP/1.1\r\nHost: x\r\n", "X-Slow: " + "a".repeat(1000));
        assertTrue(answer.startsWith("closed"), answer);
        assertStillServes();
    }

    @Test
    void aBodyTrickledTooSlowlyGets408() throws Exception {
        String head = "POST /cometd/handshake HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
            RawHttp.HANDSHAKE.length() + "\r\n\r\n";
        String answer = trickle(head, RawHttp.HANDSHAKE);
        assertTrue(answer.contains("HTTP/1.1 408") || answer.startsWith("closed") && !answer.contains("HTTP/1.1 5"), answer);
        assertStillServes();
    }

    /**
     * Sends {@code head}, then {@code slow} one byte per 250 ms (the read timeout paces it), until the gateway
     * answers or closes; returns "closed after N ms: response" or fails after 15 s.
     */
    private static String trickle(String head, String slow) throws Exception {
        URI base = gateway.gateway().uri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(250);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            long start = System.nanoTime();
            byte[] buffer = new byte[4096];
            for (int i = 0; System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15); ++i) {
                try {
                    if (i < slow.length()) {
                        out.write(slow.charAt(i));
                        out.flush();
                    }
                } catch (java.io.IOException x) {
                    return "closed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + response;
                }
                try {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return "closed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + response;
                    }
                    response.write(buffer, 0, read);
                } catch (SocketTimeoutException x) {
                    // Nothing yet: send the next byte.
                } catch (java.io.IOException x) {
                    return "closed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + response;
                }
                if (response.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    return response.toString(StandardCharsets.ISO_8859_1);
                }
            }
            throw new AssertionError("still served after 15 s: " + response);
        }
    }

    private static void assertStillServes() {
        var cache = gateway.shared(Transport.WEBSOCKET).cache("default");
        long version = Await.result(cache.put("still-serving", 1)).version();
        assertEquals(version, Await.result(cache.get("still-serving")).version());
    }
}
