package io.gridpush.bayeux;

import java.nio.ByteBuffer;
import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.JettyJSONContextServer;

/**
 * CometD's JSON context with refusals at the edge, before any message is processed: an empty batch, a
 * batch element that is not a message, and messages nested deeper than {@link #MAX_DEPTH}. Both are answered as unparseable input: HTTP 400,
 * or the WebSocket closed. (CometD would otherwise fail on them later, with a 500, or recurse until the
 * stack overflows.)
 */
public final class StrictJsonContext extends JettyJSONContextServer {
    /** Deep enough for any value the contract accepts (64 levels) inside a message's data. */
    public static final int MAX_DEPTH = 80;

    /** Threads: a WebSocket frame, on the Jetty thread that read it. */
    @Override
    public List<ServerMessage.Mutable> parse(String json) throws ParseException {
        try {
            // Jetty's string parser recurses per level: measure the depth first, without recursion.
            if (depthOf(json) > MAX_DEPTH) {
                throw new IllegalArgumentException("message nested deeper than " + MAX_DEPTH + " levels");
            }
            List<ServerMessage.Mutable> messages;
            try {
                messages = super.parse(json);
            } catch (ParseException x) {
                throw new IllegalArgumentException("malformed JSON");
            }
            validate(messages);
            return messages;
        } catch (IllegalArgumentException x) {
            throw new RefusedInput(x.getMessage());
        }
    }

    /** The deepest nesting of arrays and objects in {@code json}, ignoring brackets inside strings. */
    static int depthOf(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); ++i) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    ++i;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                --depth;
            }
        }
        return max;
    }

    /**
     * A refusal whose text is all that reaches the wire: CometD closes the WebSocket with the failure's
     * {@code toString()} as the reason, which must not name Java classes.
     */
    private static final class RefusedInput extends ParseException {
        RefusedInput(String reason) {
            super(reason, 0);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    @Override
    public AsyncParser newAsyncParser() {
        AsyncParser parser = super.newAsyncParser();
        return new AsyncParser() {
            @Override
            public void parse(ByteBuffer buffer) {
                parser.parse(buffer);
            }

            @Override
            public <R> R complete() {
                R result = parser.complete();
                // Throwing here makes CometD's HTTP transport answer 400.
                validate(result instanceof List<?> list ? list : null);
                return result;
            }
        };
    }

    private static void validate(List<?> messages) {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException("empty batch: send at least one Bayeux message");
        }
        for (Object message : messages) {
            if (!(message instanceof ServerMessage.Mutable)) {
                throw new IllegalArgumentException("a batch holds Bayeux messages (JSON objects), not " + message);
            }
            checkDepth(message);
        }
    }

    /** Iterative, so the check itself cannot overflow the stack. */
    private static void checkDepth(Object root) {
        Deque<Object[]> pending = new ArrayDeque<>();
        pending.push(new Object[]{root, 0});
        while (!pending.isEmpty()) {
            Object[] next = pending.pop();
            int depth = (Integer)next[1];
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("message nested deeper than " + MAX_DEPTH + " levels");
            }
            Iterable<?> children = next[0] instanceof Map<?, ?> map ? map.values()
                : next[0] instanceof List<?> list ? list
                : next[0] instanceof Object[] array ? List.of(array) : null;
            if (children != null) {
                for (Object child : children) {
                    if (child != null) {
                        pending.push(new Object[]{child, depth + 1});
                    }
                }
            }
        }
    }
}
