package io.gridpush.testkit;

import io.gridpush.client.GridpushClient.Transport;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bayeux session spoken by hand, over either transport, for batches no CometD client would send:
 * {@link #send} posts one batch as text (a long-polling request body, or a WebSocket frame) and returns
 * what came back, as a user of the wire would see it.
 *
 * <p>Over WebSocket, replies have no request to belong to, so each frame is followed by a marker
 * ({@code /meta/connect} with {@code timeout: 0}, answered at once) and the answer is everything up to
 * the marker's reply, or the close. Every wait is bounded by {@link Events#WAIT_SECONDS}.</p>
 */
public abstract class RawSession implements AutoCloseable {
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":\"([^\"]+)\"");
    protected final String cometdUrl;
    private String clientId = "none";

    protected RawSession(String cometdUrl) {
        this.cometdUrl = cometdUrl;
    }

    /** A connection (and nothing more: call {@link #handshake}) to the Bayeux endpoint at {@code cometdUrl}. */
    public static RawSession open(Transport transport, String cometdUrl) {
        return open(transport, cometdUrl, Map.of());
    }

    /** The same, with extra HTTP headers on every request (long polling) or on the upgrade (WebSocket). */
    public static RawSession open(Transport transport, String cometdUrl, Map<String, String> headers) {
        return transport == Transport.WEBSOCKET ? new OverWebSocket(cometdUrl, headers) : new OverHttp(cometdUrl, headers);
    }

    /** What the gateway answered: an HTTP status and body, or WebSocket text frames and perhaps a close. */
    public record Answer(int status, int closeCode, String closeReason, String body) {
        /** The answer as it travelled: status or close, reason and body. */
        public String wire() {
            return (closeCode > 0 ? "close " + closeCode + " " + closeReason : "status " + status) + " " + body;
        }

        public boolean closed() {
            return closeCode > 0;
        }
    }

    public abstract Answer send(String batch);

    public abstract String transportName();

    @Override
    public abstract void close();

    /** Handshakes (with {@code ext}, a JSON object text, or null) and returns the reply; the session's clientId is kept. */
    public Answer handshake(String ext) {
        Answer reply = send("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"id\":\"h\",\"supportedConnectionTypes\":[\"" +
            transportName() + "\"]" + (ext == null ? "" : ",\"ext\":" + ext) + "}]");
        Matcher m = CLIENT_ID.matcher(reply.body());
        if (m.find() && reply.body().contains("\"successful\":true")) {
            clientId = m.group(1);
        }
        return reply;
    }

    public Answer handshake() {
        return handshake(null);
    }

    public String clientId() {
        return clientId;
    }

    /** A remote call to {@code /service/cache/{op}} with {@code data} given as JSON text. */
    public Answer call(String op, String data) {
        return send("[{\"channel\":\"/service/cache/" + op + "\",\"clientId\":\"" + clientId + "\",\"id\":\"c\",\"data\":" + data + "}]");
    }

    private static final class OverHttp extends RawSession {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(Events.WAIT_SECONDS)).build();

        private final Map<String, String> headers;

        OverHttp(String cometdUrl, Map<String, String> headers) {
            super(cometdUrl);
            this.headers = headers;
        }

        @Override
        public String transportName() {
            return "long-polling";
        }

        @Override
        public Answer send(String batch) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(cometdUrl + "/")).timeout(Duration.ofSeconds(Events.WAIT_SECONDS))
                .header("Content-Type", "application/json;charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(batch));
            headers.forEach(builder::header);
            HttpRequest request = builder.build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                return new Answer(response.statusCode(), 0, null, response.body());
            } catch (java.io.IOException x) {
                return new Answer(-1, 0, null, "no response: " + x.getMessage());
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw new AssertionError(x);
            }
        }

        @Override
        public void close() {
            // Java 17's HttpClient has no close: its thread ends once the client is unreachable.
        }
    }

    private static final class OverWebSocket extends RawSession {
        private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final CompletableFuture<Answer> closed = new CompletableFuture<>();
        private final WebSocket socket;
        private int markers;

        OverWebSocket(String cometdUrl, Map<String, String> headers) {
            super(cometdUrl);
            try {
                WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
                headers.forEach(builder::header);
                socket = builder.buildAsync(URI.create(cometdUrl.replaceFirst("^http", "ws")), listener())
                    .get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception x) {
                throw new AssertionError("no WebSocket to " + cometdUrl, x);
            }
        }

        private WebSocket.Listener listener() {
            return new WebSocket.Listener() {
                private final StringBuilder partial = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        frames.add(partial.toString());
                        partial.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(new Answer(0, statusCode, reason, ""));
                    return null;
                }

                @Override
                public void onError(WebSocket webSocket, Throwable error) {
                    closed.complete(new Answer(0, -1, "connection failed: " + error, ""));
                }
            };
        }

        @Override
        public String transportName() {
            return "websocket";
        }

        @Override
        public Answer send(String batch) {
            String marker = "marker-" + ++markers;
            StringBuilder body = new StringBuilder();
            try {
                socket.sendText(batch, true).get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
                socket.sendText("[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId() + "\",\"connectionType\":\"websocket\"," +
                    "\"advice\":{\"timeout\":0},\"id\":\"" + marker + "\"}]", true).get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception x) {
                // The gateway closed the connection: its close frame is the answer.
                return closedAnswer(body);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Events.WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                String frame;
                try {
                    frame = frames.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(x);
                }
                if (frame != null) {
                    body.append(frame);
                    if (frame.contains("\"id\":\"" + marker + "\"")) {
                        return new Answer(0, 0, null, body.toString());
                    }
                } else if (closed.isDone()) {
                    return closedAnswer(body);
                }
            }
            return new Answer(0, 0, null, body + " (no reply within " + Events.WAIT_SECONDS + " s)");
        }

        private Answer closedAnswer(StringBuilder body) {
            try {
                Answer close = closed.get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
                String rest = String.join("", frames);
                frames.clear();
                return new Answer(0, close.closeCode(), close.closeReason(), body + rest);
            } catch (Exception x) {
                return new Answer(0, -1, "no close frame", body.toString());
            }
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
