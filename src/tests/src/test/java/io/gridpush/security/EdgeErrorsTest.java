package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests that never reach the Bayeux servlet (bad request lines, headers, URIs, methods, paths) get a
 * clean 4xx from Jetty: no 5xx, no stack trace, no Java or Jetty name, no server version, and the gateway
 * keeps serving. Sent raw, as no well-behaved client would send them.
 */
class EdgeErrorsTest {
    private static final List<String> LEAKS = List.of("exception", "java.", "org.eclipse", "jetty", "at org.", "caused by");
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of());

    static Stream<Arguments> requests() {
        String host = "Host: 127.0.0.1\r\n";
        return Stream.of(
            Arguments.of("bad percent-encoding", "GET /%zz HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 400),
            Arguments.of("an illegal header name", "GET / HTTP/1.1\r\n" + host + "Bad Header: y\r\nConnection: close\r\n\r\n", 400),
            Arguments.of("a garbage request line", "HELLO\r\n\r\n", 400),
            Arguments.of("an unknown HTTP version", "GET / HTTP/7.3\r\n" + host + "\r\n", 505),
            Arguments.of("a header over the limit", "GET / HTTP/1.1\r\n" + host + "X-A: " + "a".repeat(40_000) + "\r\nConnection: close\r\n\r\n", 431),
            Arguments.of("an unknown path", "GET /nope/../../etc/passwd HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 400),
            Arguments.of("a missing file", "GET /nope.html HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 404),
            Arguments.of("a wrong method on /health", "DELETE /health HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 405),
            Arguments.of("an unknown Bayeux path", "GET /cometd/x HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 400),
            Arguments.of("a body with a bad length", "POST /cometd HTTP/1.1\r\n" + host + "Content-Length: x\r\nConnection: close\r\n\r\n", 400),
            Arguments.of("two lengths", "POST /cometd HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n[]", 400),
            Arguments.of("a TRACE", "TRACE / HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", 405));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void eachIsACleanClientError(String what, String request, int status) throws Exception {
        String response = send(gateway.gateway().uri(), request);
        assertTrue(response.startsWith("HTTP/1.1 "), () -> what + ": " + response);
        int got = Integer.parseInt(response.substring(9, 12));
        assertEquals(status, got, () -> what + ": " + response);
        String lower = response.toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            assertFalse(lower.contains(leak), () -> what + " leaks '" + leak + "': " + response);
        }
        assertFalse(lower.contains("\r\nserver:"), () -> what + " names the server: " + response);
        // The gateway still serves.
        var control = gateway.shared(Transport.WEBSOCKET).cache("default");
        Await.result(control.put("edge-control", what));
        assertEquals(what, Await.result(control.get("edge-control")).value());
    }

    private static String send(URI base, String request) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0 && response.size() < 1_000_000; n = in.read(buffer)) {
                    response.write(buffer, 0, n);
                }
            } catch (java.net.SocketException | java.net.SocketTimeoutException x) {
                // The server may reset after its answer; what arrived is the answer.
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
