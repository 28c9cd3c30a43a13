package io.gridpush.bayeux;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.JettyJSONContextServer;

/**
 * CometD's JSON context with gridpush's parser ({@link JsonReader}) on both transports and the message
 * shape checked ({@link MessageShape}) before CometD reads a single field, so a batch CometD would
 * fail on (a number for a channel, an advice that is a string, two handshakes) never reaches it.
 *
 * <p>Refusals are {@link RefusedInput}: unchecked, so CometD passes them on instead of logging a stack
 * trace per frame, and {@link EdgeFailures} answers them with HTTP 400 or a WebSocket close.</p>
 */
public final class StrictJsonContext extends JettyJSONContextServer {
    /** Deep enough for any value the contract accepts (64 levels) inside a message's data. */
    public static final int MAX_DEPTH = 80;

    /** Threads: a WebSocket frame (or a non-UTF-8 body), on the Jetty thread that read it. */
    @Override
    public List<ServerMessage.Mutable> parse(String json) {
        try {
            List<ServerMessage.Mutable> batch = adapt(JsonReader.parse(json, MAX_DEPTH));
            MessageShape.check(batch);
            return batch;
        } catch (IllegalArgumentException x) {
            throw new RefusedInput(x.getMessage());
        }
    }

    /** A long-polling body: its bytes are kept (CometD stops reading past limits.messageBytes) and parsed at the end. */
    @Override
    public AsyncParser newAsyncParser() {
        return new AsyncParser() {
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

            @Override
            public void parse(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }

            @Override
            @SuppressWarnings("unchecked")
            public <R> R complete() {
                return (R)StrictJsonContext.this.parse(utf8(bytes.toByteArray()));
            }
        };
    }

    /** Strict UTF-8: a malformed byte is refused, not silently replaced by U+FFFD. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException x) {
            throw new RefusedInput("the body is not valid UTF-8");
        }
    }

    private List<ServerMessage.Mutable> adapt(Object parsed) {
        List<?> items = parsed instanceof List<?> list ? list : parsed == null ? List.of() : List.of(parsed);
        if (items.isEmpty()) {
            throw new RefusedInput("empty batch: send at least one Bayeux message");
        }
        List<ServerMessage.Mutable> batch = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof Map<?, ?> fields)) {
                throw new RefusedInput("a batch holds Bayeux messages (JSON objects), not " + (item == null ? "null" : "a JSON " + kind(item)));
            }
            ServerMessage.Mutable message = newMessage();
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                message.put((String)field.getKey(), field.getValue());
            }
            batch.add(message);
        }
        return batch;
    }

    static String kind(Object value) {
        return value instanceof String ? "string" : value instanceof Number ? "number" : value instanceof Boolean ? "boolean"
            : value instanceof List ? "array" : value instanceof Map ? "object" : "null";
    }

    /**
     * Input refused before CometD acts on it. Its text is all that reaches the wire (CometD would close a
     * WebSocket with a failure's {@code toString()}), so it must not name Java classes.
     */
    public static final class RefusedInput extends IllegalArgumentException {
        public RefusedInput(String reason) {
            super(reason);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
