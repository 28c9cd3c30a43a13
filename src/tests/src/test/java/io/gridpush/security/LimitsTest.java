package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.RawHttp;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Floods and oversized messages are answered by their limit, and the gateway keeps serving everyone else. */
class LimitsTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOperationsFloodIsRateLimitedWithoutHarmingOthers(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.operationsPerSecond", "5"))) {
            GridpushClient flooder = gateway.client(transport);
            List<CompletableFuture<?>> calls = new ArrayList<>();
            for (int i = 0; i < 40; ++i) {
                calls.add(flooder.cache("default").put("flood", i));
            }
            int limited = 0;
            for (CompletableFuture<?> call : calls) {
                try {
                    Await.result(call);
                } catch (GridpushException x) {
                    assertEquals(ErrorCode.RATE_LIMITED, x.code());
                    ++limited;
                }
            }
            assertTrue(limited >= 30, limited + " of 40 were limited");
            GridpushClient other = gateway.client(transport);
            long applied = (Long)Await.result(other.cache("default").get("flood")).value();
            assertTrue(applied < 40, "a limited put is not applied");
            assertTrue(Await.result(other.cache("default").put("calm", 1)).applied(), "another session is not limited");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSubscriptionFloodIsRefusedPastTheLimit(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.subscriptionsPerSession", "3"))) {
            GridpushClient client = gateway.client(transport);
            for (int i = 0; i < 3; ++i) {
                assertTrue(Raw.subscribe(client, "/cache/default/k" + i, (c, m) -> { }).isSuccessful());
            }
            Message refused = Raw.subscribe(client, "/cache/default/k3", (c, m) -> { });
            assertFalse(refused.isSuccessful());
            assertEquals("403::subscribe_denied", refused.get(Message.ERROR_FIELD));
        }
    }

    @Test
    void aHandshakeFloodGets429AndSessionsPerAddressAreCapped() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.handshakesPerSecondPerAddress", "3", "limits.sessionsPerAddress", "2"))) {
            URI base = gateway.gateway().uri();
            int tooMany = 0;
            for (int i = 0; i < 10; ++i) {
                int status = RawHttp.status(RawHttp.exchange(base, "POST /cometd/handshake HTTP/1.1", RawHttp.HANDSHAKE));
                assertTrue(status == 200 || status == 429, "status " + status);
                tooMany += status == 429 ? 1 : 0;
            }
            assertTrue(tooMany >= 5, tooMany + " of 10 handshakes got 429");
        }
        try (TestGateway gateway = TestGateway.start(Map.of("limits.sessionsPerAddress", "2"))) {
            gateway.client(Transport.WEBSOCKET);
            gateway.client(Transport.LONG_POLLING);
            GridpushException third = assertThrows(GridpushException.class, () -> gateway.client(Transport.WEBSOCKET));
            assertTrue(third.getMessage().contains("403::handshake_denied"), third.getMessage());
        }
    }

    @Test
    void handshakesAreCountedOnEveryPathAndTransport() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.handshakesPerSecondPerAddress", "3"))) {
            // Long polling, posted to /cometd itself rather than /cometd/handshake. The bound on what is accepted
            // depends on how long the handshakes took (a loaded machine took over a second for 10, and 6 were rightly
            // accepted): at 3 a second, at most 3 per second elapsed, plus a second's worth either side.
            int tooMany = 0;
            int attempts = 30;
            long start = System.nanoTime();
            for (int i = 0; i < attempts; ++i) {
                try (RawSession raw = RawSession.open(Transport.LONG_POLLING, gateway.url())) {
                    RawSession.Answer answer = raw.handshake();
                    assertTrue(answer.status() == 200 || answer.status() == 429, answer.wire());
                    tooMany += answer.status() == 429 ? 1 : 0;
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            int accepted = attempts - tooMany;
            assertTrue(tooMany > 0 && accepted <= 3 * (elapsed + 2), accepted + " of " + attempts + " handshakes accepted in "
                + String.format("%.1f", elapsed) + " s at 3 a second");
            // WebSocket: handshaking again and again on one connection; the excess closes it with 1013.
            try (RawSession raw = RawSession.open(Transport.WEBSOCKET, gateway.url())) {
                RawSession.Answer answer = raw.handshake();
                for (int i = 0; i < 10 && !answer.closed(); ++i) {
                    answer = raw.handshake();
                }
                assertEquals(1013, answer.closeCode(), answer.wire());
                assertTrue(answer.closeReason().contains("handshakes a second"), answer.closeReason());
            }
        }
    }

    /** The close code the gateway answers {@code frame} with, or null if the connection broke before it could be read. */
    private static Integer closeCodeAfter(TestGateway gateway, String frame) throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .buildAsync(URI.create(gateway.url().replace("http", "ws")), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.complete(null);
                }
            }).get(20, TimeUnit.SECONDS);
        // A failed send is not the answer: wait for the close frame (or the error that replaces it).
        socket.sendText(frame, true).exceptionally(x -> null);
        return closed.get(20, TimeUnit.SECONDS);
    }

    @Test
    void anOversizedMessageClosesTheWebSocketWith1009AndGets413OverHttp() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.valueBytes", "2000", "limits.messageBytes", "8000"))) {
            String huge = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"],\"ext\":{\"pad\":\"" +
                "x".repeat(20_000) + "\"}}]";
            // The server may close the TCP connection while this client still writes, which the JDK client
            // then reports as a broken pipe instead of the close frame: try a few times to read the code,
            // and whenever a code is read, it must be 1009.
            Integer code = null;
            for (int attempt = 0; attempt < 5 && code == null; ++attempt) {
                code = closeCodeAfter(gateway, huge);
            }
            assertEquals(1009, code, "the WebSocket was closed with 1009");

            String response = RawHttp.exchange(gateway.gateway().uri(), "POST /cometd/handshake HTTP/1.1", huge);
            assertEquals(413, RawHttp.status(response), response);

            long version = Await.result(gateway.client(Transport.WEBSOCKET).cache("default").put("after-huge", 1)).version();
            assertTrue(version > 0, "the gateway still serves");
        }
    }
}
