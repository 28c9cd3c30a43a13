package io.gridpush.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.GridCache;
import io.gridpush.testkit.HttpApi;
import io.gridpush.testkit.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An event-stream reader that stops reading: writes go on at full speed, a reader that keeps up gets every
 * change, and the stalled stream, once past {@code delivery.maxQueue} events, is sent {@code resync} and
 * ended, so its memory is bounded and its reader knows to take a fresh snapshot.
 */
class SlowEventReaderTest {
    private static final int WRITES = 2000;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "limits.snapshotEntries", "20",
        "limits.subscriptionsPerSession", "10",
        "delivery.maxQueue", "64",
        // The stalled reader must outlast the flood without being cut for idleness first.
        "limits.httpIdleTimeout", "30s"));

    @Test
    void aStalledStreamIsEndedWithResyncAndHarmsNoOne() throws Exception {
        URI root = gateway.gateway().uri();
        String path = "/api/v1/" + HttpApi.entry("default", "flooded") + "/events";
        try (Socket stalled = new Socket();
             HttpApi.Stream healthy = new HttpApi(root, null).events(HttpApi.entry("default", "flooded") + "/events")) {
            // The stalled reader asks for the stream, then reads nothing until the flood is over.
            stalled.setReceiveBufferSize(4096);
            // (Set before connecting: a receive buffer shrunk on an open connection can leave its TCP window shut for good.)
            stalled.connect(new InetSocketAddress(root.getHost(), root.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("snapshot", healthy.next().type());

            // The writer goes at the pace of the reader that keeps up (a few events ahead of it, well within
            // delivery.maxQueue), so only the stalled stream falls behind.
            GridCache cache = gateway.gateway().grid().cache("default");
            String padding = "x".repeat(8192);
            long last = 0;
            for (int i = 1; i <= WRITES; ++i) {
                cache.put("flooded", Map.of("n", i, "pad", padding), -1, -1);
                while (i % 16 == 0 && last < i || i == WRITES && last < WRITES) {
                    HttpApi.Event event = healthy.next();
                    assertEquals(last == 0 ? "created" : "modified", event.type(), "the reader that keeps up is never told to re-sync");
                    long n = ((Number)((Map<?, ?>)event.data().get("value")).get("n")).longValue();
                    assertEquals(last + 1, n, "the reader that keeps up gets every change, in order");
                    last = n;
                }
            }

            String seen = readToEnd(stalled.getInputStream());
            assertTrue(seen.startsWith("HTTP/1.1 200"), seen.substring(0, Math.min(200, seen.length())));
            int events = seen.split("\nevent: modified\n", -1).length - 1;
            assertTrue(events < WRITES, "the stalled stream was cut short: " + events + " of " + WRITES);
            assertTrue(seen.contains("event: resync\n"), "and told to re-sync");
            assertTrue(seen.lastIndexOf("event: resync") > seen.lastIndexOf("event: modified"), "as its last event");
        }
    }

    /** Everything the server sends until it ends the response (chunked: the last chunk), bounded by the socket's timeout. */
    private static String readToEnd(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[65536];
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (text.indexOf("\r\n0\r\n\r\n") >= 0) {
                break;
            }
        }
        return text.toString();
    }
}
