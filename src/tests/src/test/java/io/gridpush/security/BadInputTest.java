package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.RawHttp;
import io.gridpush.testkit.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-input catalogue at the transport level: each is answered (HTTP 400, a WebSocket close, a
 * Bayeux error), nothing is written, and a well-behaved session keeps being served throughout.
 */
class BadInputTest {
    private static final String DEEP = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"],\"ext\":" +
        "[".repeat(100_000) + "]".repeat(100_000) + "}]";

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("limits.httpIdleTimeout", "2s"));

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "[1]", "[null]", "[[]]", "{\"channel\":"})
    void malformedBatchesOverHttpGet400(String body) throws Exception {
        String response = RawHttp.exchange(gateway.gateway().uri(), "POST /cometd/handshake HTTP/1.1", body);
        assertEquals(400, RawHttp.status(response), body + " -> " + response);
        assertStillServes();
    }

    @Test
    void jsonNestedAHundredThousandLevelsIsRefusedOnBothTransports() throws Exception {
        String response = RawHttp.exchange(gateway.gateway().uri(), "POST /cometd/handshake HTTP/1.1", DEEP);
        assertEquals(400, RawHttp.status(response), response);
        assertEquals(1008, webSocketCloseAfter(DEEP), "closed as a policy violation, with a plain reason");
        assertStillServes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "[1]"})
    void malformedFramesCloseTheWebSocket(String frame) throws Exception {
        assertEquals(1008, webSocketCloseAfter(frame), "closed as a policy violation, with a plain reason");
        assertStillServes();
    }

    @Test
    void publishesOnMetaChannelsAreRefused() {
        GridpushClient client = gateway.shared(Transport.WEBSOCKET);
        for (String channel : List.of("/meta/custom", "/meta/subscribe/extra")) {
            CompletableFuture<Message> reply = new CompletableFuture<>();
            Message.Mutable message = new org.cometd.common.HashMapMessage();
            message.setChannel(channel);
            message.setId("forged" + channel.length());
            message.setData(Map.of("x", 1));
            client.bayeux().getChannel(channel).publish(message, reply::complete);
            Message answer = Await.result(reply);
            assertFalse(answer.isSuccessful(), channel + " -> " + answer);
        }
        assertStillServes();
    }

    @Test
    void aClientIdFromAnotherConnectionIsRefused() throws Exception {
        GridpushClient victim = gateway.client(Transport.WEBSOCKET);
        Events events = new Events();
        Await.result(victim.cache("default").watch("hijack", events).ready());
        String stolen = victim.bayeux().getId();

        // Long polling: the session id without the victim's browser cookie is unknown.
        String http = "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"" + stolen + "\",\"subscription\":\"/cache/default/other\"}]";
        String answer = body(gateway.gateway().uri(), "POST /cometd/ HTTP/1.1", http);
        assertTrue(answer.contains("402::session_unknown"), answer);

        // WebSocket: a new connection must handshake before it can use any session.
        LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(gateway.url().replace("http", "ws")), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    replies.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
        socket.sendText("[{\"channel\":\"/meta/unsubscribe\",\"id\":\"1\",\"clientId\":\"" + stolen + "\",\"subscription\":\"/cache/default/hijack\"}]", true);
        String reply = replies.poll(20, TimeUnit.SECONDS);
        assertTrue(reply != null && reply.contains("402::session_unknown"), String.valueOf(reply));

        long version = Await.result(gateway.shared(Transport.LONG_POLLING).cache("default").put("hijack", "still watched")).version();
        assertEquals(version, events.until(e -> e.version() == version).version(), "the victim's subscription is intact");
    }

    @Test
    void aSlowlorisRequestIsCutByTheIdleTimeout() throws Exception {
        URI base = gateway.gateway().uri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /cometd/handshake HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // Then nothing: the headers never end. The server must hang up (idle timeout 2 s), not wait forever.
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            byte[] buffer = new byte[1024];
            int read;
            while ((read = in.read(buffer)) > 0) {
                // An error page may come first; then the connection must close.
            }
            assertEquals(-1, read);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "closed by the idle timeout");
        }
        assertStillServes();
    }

    private static int webSocketCloseAfter(String frame) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(gateway.url().replace("http", "ws")), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    // The reason is on the wire: it must explain, not expose Java internals.
                    closed.complete(reason.contains("java.") || reason.contains("Exception") || reason.contains("Error") ? -3 : statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.complete(-2);
                }
            }).get(20, TimeUnit.SECONDS);
        socket.sendText(frame, true);
        return closed.get(20, TimeUnit.SECONDS);
    }

    private static String body(URI base, String head, String body) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write((head + "\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertStillServes() {
        var cache = gateway.shared(Transport.WEBSOCKET).cache("default");
        long version = Await.result(cache.put("still-serving", System.nanoTime())).version();
        assertEquals(version, Await.result(cache.get("still-serving")).version());
        Message subscribed = Raw.subscribe(gateway.shared(Transport.LONG_POLLING), "/cache/default/still-serving", (c, m) -> { });
        assertTrue(subscribed.isSuccessful());
    }
}
