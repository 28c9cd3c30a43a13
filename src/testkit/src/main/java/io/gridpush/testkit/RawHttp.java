package io.gridpush.testkit;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Plain HTTP/1.1 over a socket, for requests no well-behaved client would send (foreign Origins, raw upgrades). */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, CRLF-separated, no blank line) plus {@code body}; returns the response head. */
    public static String exchange(URI base, String head, String body) throws Exception {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int)java.util.concurrent.TimeUnit.SECONDS.toMillis(Events.WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String request = head + "\r\nHost: " + base.getHost() + ":" + base.getPort() +
                (body == null ? "" : "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length) + "\r\nConnection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                response.write(b);
                String text = response.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    return text;
                }
            }
            return response.toString(StandardCharsets.ISO_8859_1);
        }
    }

    public static int status(String responseHead) {
        return Integer.parseInt(responseHead.substring(9, 12));
    }

    public static String upgrade(String origin) {
        return "GET /cometd HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: " + origin;
    }

    public static final String HANDSHAKE = "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]";
}
