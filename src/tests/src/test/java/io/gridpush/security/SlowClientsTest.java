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
 * slowly gets 408, never a 5xx. Over WebSocket, a message trickled a byte at a time (or a fragment at a time) is
 * closed with 1008 after {@code limits.webSocketMessageTimeout}, while a connection merely idle between
 * messages for longer than that is not.
 */
class SlowClientsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("limits.httpHeaderTimeout", "2s", "limits.httpIdleTimeout", "30s",
        "limits.webSocketMessageTimeout", "2s",
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

    @Test
    void aWebSocketMessageTrickledAByteAtATimeIsClosedWith1008() throws Exception {
        String answer = trickle(upgrade(), latin1(textFrame(RawHttp.HANDSHAKE, true, true)), true);
        assertClosedWith1008(answer);
        assertStillServes();
    }

    @Test
    void aWebSocketMessageTrickledAFragmentAtATimeIsClosedWith1008() throws Exception {
        // Each fragment is a whole frame, the message never ends: 1 byte of payload per frame.
        StringBuilder fragments = new StringBuilder();
        String payload = RawHttp.HANDSHAKE;
        for (int i = 0; i < payload.length(); ++i) {
            fragments.append(latin1(textFrame(payload.substring(i, i + 1), i == 0, i == payload.length() - 1)));
        }
        String answer = trickleFrames(upgrade(), fragments.toString());
        assertClosedWith1008(answer);
        assertStillServes();
    }

    @Test
    void aWebSocketIdleBetweenWholeMessagesIsNotCut() throws Exception {
        URI base = gateway.gateway().uri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write((upgrade() + latin1(textFrame(WS_HANDSHAKE, true, true))).getBytes(StandardCharsets.ISO_8859_1));
            String first = readUntil(in, "successful");
            assertTrue(first.contains("101"), first);
            // Idle for twice the message timeout, then a whole message: still answered.
            Thread.sleep(4_000);
            out.write(textFrame(WS_HANDSHAKE, true, true));
            out.flush();
            String second = readUntil(in, "successful");
            assertTrue(second.contains("\"successful\":true"), second);
        }
    }

    private static final String WS_HANDSHAKE = RawHttp.HANDSHAKE.replace("long-polling", "websocket");

    private static void assertClosedWith1008(String answer) {
        assertTrue(answer.startsWith("closed"), answer);
        // The close frame: opcode 8, then the status 1008 (0x03F0) and the plain reason.
        assertTrue(answer.contains("\u0088") && answer.contains("\u0003\u00f0message too slow"), answer);
        assertTrue(!answer.contains("Exception") && !answer.contains("java."), answer);
    }

    private static String upgrade() {
        return RawHttp.upgrade("http://127.0.0.1:8080") + "\r\nHost: x\r\n\r\n";
    }

    /** A client frame: masked (a zero mask, which RFC 6455 allows), short payloads only. */
    private static byte[] textFrame(String text, boolean first, boolean fin) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | (first ? 0x1 : 0x0));
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String readUntil(InputStream in, String marker) throws Exception {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!read.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new AssertionError("closed before '" + marker + "': " + read.toString(StandardCharsets.ISO_8859_1));
            }
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }

    /** {@link #trickle(String, String, boolean)} a whole 7-byte fragment at a time. */
    private static String trickleFrames(String head, String frames) throws Exception {
        return trickle(head, frames, true, 7);
    }

    private static String trickle(String head, String slow) throws Exception {
        return trickle(head, slow, false);
    }

    private static String trickle(String head, String slow, boolean untilClosed) throws Exception {
        return trickle(head, slow, untilClosed, 1);
    }

    /**
     * Sends {@code head}, then {@code slow} one byte per 250 ms (the read timeout paces it), until the gateway
     * answers (unless {@code untilClosed}) or closes; returns "closed after N ms: response" or fails after 15 s.
     */
    private static String trickle(String head, String slow, boolean untilClosed, int step) throws Exception {
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
                    if (i * step < slow.length()) {
                        out.write(slow.substring(i * step, Math.min(slow.length(), (i + 1) * step)).getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } catch (java.io.IOException x) {
                    return closed(start, response);
                }
                try {
                    int read = in.read(buffer);
                    if (read < 0) {
                        return closed(start, response);
                    }
                    response.write(buffer, 0, read);
                } catch (SocketTimeoutException x) {
                    // Nothing yet: send the next byte.
                } catch (java.io.IOException x) {
                    return closed(start, response);
                }
                if (!untilClosed && response.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                    return response.toString(StandardCharsets.ISO_8859_1);
                }
            }
            throw new AssertionError("still served after 15 s: " + response);
        }
    }

    private static String closed(long start, ByteArrayOutputStream response) {
        return "closed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + response.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertStillServes() {
        var cache = gateway.shared(Transport.WEBSOCKET).cache("default");
        long version = Await.result(cache.put("still-serving", 1)).version();
        assertEquals(version, Await.result(cache.get("still-serving")).version());
    }
}
