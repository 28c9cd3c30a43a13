package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.gridpush.cache.Versioned;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A seeded fuzzer of Bayeux batches over both transports. Each round sends one batch built from valid
 * messages with every field mutated (channel, clientId, id, data and its fields, advice, ext,
 * subscription, the batch's shape and its text), and checks what a user of the wire would see: no 5xx, no
 * 1011, no Java names; every write that was not acknowledged left its key untouched; and a control client
 * on each transport keeps writing and receiving its events throughout.
 *
 * <p>Deterministic: the seed is fixed (override with {@code -Dgridpush.fuzz.seed=N}, rounds with
 * {@code -Dgridpush.fuzz.rounds=N}); a failure names the round and the batch.</p>
 */
class BayeuxFuzzTest {
    private static final long SEED = Long.getLong("gridpush.fuzz.seed", 13L);
    private static final int ROUNDS = Integer.getInteger("gridpush.fuzz.rounds", 250);
    private static final List<String> WRITES = List.of("put", "putIfAbsent");
    private static final List<String> OPS = List.of("get", "getAll", "put", "putIfAbsent", "replace", "remove", "entries", "nope", "");

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("bayeux.timeout", "500", "limits.valueBytes", "4096",
        "limits.messageBytes", "16384"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void fuzzedBatchesGetContractAnswersAndChangeNothingTheyWereRefused(Transport transport) throws InterruptedException {
        Random random = new Random(SEED + transport.ordinal());
        Control control = new Control(transport);
        for (int round = 0; round < ROUNDS; ++round) {
            try (RawSession raw = RawSession.open(transport, gateway.url())) {
                if (random.nextInt(10) > 0) {
                    raw.handshake();
                }
                Fuzzer fuzzer = new Fuzzer(random, raw.clientId(), transport + "-" + round);
                String batch = fuzzer.batch();
                RawSession.Answer answer = raw.send(batch);
                String where = "round " + round + " (seed " + SEED + ")";
                Wire.assertContractAnswer(answer, where + ": " + batch);
                for (Fuzzer.Write write : fuzzer.writes) {
                    if (!acknowledged(answer, write.id())) {
                        assertNull(read(write.key()), where + ": an unacknowledged write changed " + write.key() + "\n  " + batch +
                            "\n  -> " + answer.wire());
                    }
                }
            }
            if (round % 25 == 0) {
                control.check(round);
            }
        }
        control.check(ROUNDS);
    }

    /** Whether the answer holds a successful reply to the message with {@code id}. */
    private static boolean acknowledged(RawSession.Answer answer, String id) {
        String body = answer.body().trim();
        if (!body.startsWith("[")) {
            return false;
        }
        // Several frames may have arrived back to back: "[...][...]".
        for (String frame : body.replace("][", "]\n[").split("\n")) {
            Object parsed;
            try {
                parsed = new JSON().fromJSON(frame);
            } catch (RuntimeException x) {
                continue;
            }
            for (Object reply : parsed instanceof Object[] array ? List.of(array) : List.of()) {
                if (reply instanceof Map<?, ?> message && id.equals(message.get("id")) && Boolean.TRUE.equals(message.get("successful"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Versioned read(String key) {
        try {
            return gateway.gateway().grid().cache("default").get(key);
        } catch (RuntimeException x) {
            // A key the gateway cannot even name (a lone surrogate, over 256 bytes) cannot have been written.
            return null;
        }
    }

    /** A well-behaved client on the same transport: it writes, reads back, and sees its own change pushed. */
    private static final class Control {
        private final RemoteCache cache;
        private final Events events = new Events();
        private final String key;

        Control(Transport transport) {
            cache = gateway.client(transport).cache("default");
            key = "control-" + transport;
            Await.result(cache.watch(key, events).ready());
        }

        void check(int round) throws InterruptedException {
            long version = Await.result(cache.put(key, round)).version();
            assertEquals(version, Await.result(cache.get(key)).version(), "the control client reads its write after round " + round);
            assertEquals(version, events.until(e -> e.version() == version).version(), "and is pushed it");
        }
    }

    /** Builds one batch as JSON text, remembering the writes in it that carry an id it can match. */
    private static final class Fuzzer {
        record Write(String id, String key) {
        }

        private final Random random;
        private final String clientId;
        private final String prefix;
        private final List<Write> writes = new ArrayList<>();
        private int messages;

        Fuzzer(Random random, String clientId, String prefix) {
            this.random = random;
            this.clientId = clientId;
            this.prefix = prefix;
        }

        String batch() {
            int shape = random.nextInt(20);
            String text;
            if (shape == 0) {
                text = message();
            } else if (shape == 1) {
                text = "[]";
            } else if (shape == 2) {
                text = "[" + message() + "," + value(2) + "]";
            } else if (shape == 3) {
                text = "[[" + message() + "]]";
            } else {
                List<String> batch = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; --i) {
                    batch.add(message());
                }
                text = "[" + String.join(",", batch) + "]";
            }
            int corruption = random.nextInt(25);
            if (corruption == 0 && text.length() > 2) {
                writes.clear();
                return text.substring(0, random.nextInt(text.length() - 1) + 1);
            }
            if (corruption == 1) {
                writes.clear();
                return text + pick("}", "]", ",", "x", "\u0000", "\"");
            }
            return text;
        }

        private String message() {
            String id = prefix + "-" + messages++;
            List<String> fields = new ArrayList<>();
            int kind = random.nextInt(10);
            String channel;
            String op = null;
            if (kind < 5) {
                op = pick(OPS.toArray(new String[0]));
                channel = "/service/cache/" + op;
            } else {
                channel = pick("/meta/handshake", "/meta/connect", "/meta/subscribe", "/meta/unsubscribe", "/meta/disconnect",
                    "/cache/default/k", "/cache/default/*", "/cache/default/$", "/meta/x");
            }
            fields.add(field("channel", mutate(quote(channel), () -> pick("5", "null", "{}", "[\"/meta/connect\"]", "\"\"", "\"/\"", "\"//\"",
                "\"/service//cache/get\"", "\"/service/cache/\"", "\"/meta/*\"", "\"/**\"", "\"/cache/**\"", "\"/service/" + "x".repeat(2000) + "\"",
                "\"/service/cach\u00e9/get\"", "\"/meta/handshake/\"", "\"/service/*/put\""))));
            if (random.nextInt(8) > 0) {
                fields.add(field("clientId", mutate(quote(clientId), () -> pick("5", "{}", "[]", "null", "true", "\"" + clientId + "x\"", "\"\""))));
            }
            boolean exactId = random.nextInt(8) > 0;
            if (exactId) {
                fields.add(field("id", quote(id)));
            } else if (random.nextBoolean()) {
                fields.add(field("id", pick("5", "{}", "[]", "null", "1.5", "\"\"", "18446744073709551616")));
            }
            if (op != null || random.nextInt(3) == 0) {
                String key = key();
                fields.add(field("data", mutate(data(op, key), () -> value(3))));
                if (exactId && op != null && WRITES.contains(op)) {
                    writes.add(new Write(id, key));
                }
            }
            if (random.nextInt(4) == 0) {
                fields.add(field("advice", mutate("{\"timeout\":" + number() + ",\"interval\":" + number() + ",\"reconnect\":\"retry\"}",
                    () -> pick("\"x\"", "[]", "5", "{\"timeout\":\"x\"}", "{\"interval\":[1]}", "{\"reconnect\":5}"))));
            }
            if (random.nextInt(4) == 0) {
                String ext = "{\"ack\":" + pick("true", "false", "1", "-1") + ",\"auth\":{\"token\":" + pick("\"x\"", "5", "null", "{}") + "}}";
                fields.add(field("ext", mutate(ext,
                    () -> pick("\"x\"", "[]", "5", "{\"ack\":\"x\"}", "{\"ack\":1.5}", "{\"auth\":\"x\"}", "{\"auth\":{\"token\":[null]}}"))));
            }
            if (channel.endsWith("subscribe") || random.nextInt(6) == 0) {
                fields.add(field("subscription", mutate(quote(pick("/cache/default/a", "/cache/default/*", "/cache/demo/*", "/cache/nope/*",
                    "/cache/default/$41", "/cache/default/a$zz", "/**", "/service/cache/get")),
                    () -> pick("5", "[null]", "[]", "{}", "[\"/cache/default/a\",7]", "\"/cache//x\"", "[\"/cache/default/a\",\"/cache/default/*\"]"))));
            }
            if (channel.equals("/meta/handshake") || random.nextInt(8) == 0) {
                fields.add(field("supportedConnectionTypes", mutate("[\"websocket\",\"long-polling\"]", () -> pick("\"websocket\"", "[null]", "[5]", "{}"))));
                fields.add(field("version", mutate("\"1.0\"", () -> pick("1", "null", "[]"))));
            }
            if (channel.equals("/meta/connect") || random.nextInt(8) == 0) {
                fields.add(field("connectionType", mutate(quote(pick("websocket", "long-polling", "callback-polling")), () -> pick("5", "[]", "null"))));
            }
            if (random.nextInt(10) == 0) {
                fields.add(field(pick("successful", "x", "channel", "data"), value(2)));
            }
            java.util.Collections.shuffle(fields, random);
            return "{" + String.join(",", fields) + "}";
        }

        private String data(String op, String key) {
            List<String> fields = new ArrayList<>();
            fields.add(field("cache", mutate("\"default\"", () -> pick("\"demo\"", "\"nope\"", "5", "null", "\"\"", "\"de fault\""))));
            fields.add(field("key", mutate(quote(key), () -> value(1))));
            if (op == null || !op.equals("get")) {
                fields.add(field("value", value(random.nextInt(6))));
            }
            String[] extras = {"lifespanMs", "maxIdleMs", "ifVersion", "keys", "after", "limit"};
            for (String extra : extras) {
                if (random.nextInt(5) == 0) {
                    fields.add(field(extra, random.nextBoolean() ? number() : value(2)));
                }
            }
            if ("getAll".equals(op)) {
                fields.add(field("keys", mutate("[" + quote(key) + "," + quote(key()) + "]", () -> value(2))));
            }
            java.util.Collections.shuffle(fields, random);
            return "{" + String.join(",", fields) + "}";
        }

        private String key() {
            return pick("fz-" + prefix + "-" + messages, "fz-" + prefix + "-\u00e9\u4e2d\ud83d\ude00", "fz-" + prefix + "-\ud800", "",
                "fz-" + prefix + "-" + "k".repeat(300), "fz-" + prefix + "/x:y$z", "fz-" + prefix + "-\n\u0000");
        }

        /** Any JSON value text, nested up to {@code depth}; numbers and strings from the awkward corners. */
        private String value(int depth) {
            int kind = random.nextInt(depth > 0 ? 9 : 6);
            switch (kind) {
                case 0: return number();
                case 1: return quote(pick("", "x", "\u00e9", "\ud83d\ude00", "\ud800", "\udc00x", "a\"b", "\\", "\u2028", "</script>"));
                case 2: return pick("true", "false");
                case 3: return "null";
                case 4: return pick("\"" + "v".repeat(5000) + "\"", "[" + "[".repeat(70) + "]".repeat(70) + "]", "{\"a\":1,\"a\":2}");
                case 5: return quote("s" + random.nextInt(1000));
                case 6: case 7: {
                    List<String> items = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; --i) {
                        items.add(value(depth - 1));
                    }
                    return "[" + String.join(",", items) + "]";
                }
                default: {
                    List<String> items = new ArrayList<>();
                    for (int i = random.nextInt(4); i > 0; --i) {
                        items.add(quote("f" + i) + ":" + value(depth - 1));
                    }
                    return "{" + String.join(",", items) + "}";
                }
            }
        }

        private String number() {
            return pick("0", "-0", "1", "-1", "1.5", "0.1", "1e2", "1E-2", "9007199254740991", "9007199254740993", "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "1e400", "-1e400",
                "1e-400", "1.00000000000000000001", "2.5e-324", "1e99999999999", "01", "1.", ".5", "-", "+1", "NaN", "Infinity");
        }

        private String mutate(String valid, Supplier<String> mutant) {
            return random.nextInt(6) == 0 ? mutant.get() : valid;
        }

        private static String field(String name, String value) {
            return quote(name) + ":" + value;
        }

        private String pick(String... choices) {
            return choices[random.nextInt(choices.length)];
        }

        private static boolean lone(String text, int i) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            return Character.isSurrogate(c) && !paired;
        }

        /** A JSON string literal; lone surrogates are written as \\u escapes, the only way JSON can spell them. */
        private static String quote(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < text.length(); ++i) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || lone(text, i)) {
                    out.append(String.format("\\u%04x", (int)c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }
    }
}
