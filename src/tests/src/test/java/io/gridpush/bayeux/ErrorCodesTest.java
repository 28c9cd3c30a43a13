package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.scope.AuditSink;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every error code the gateway gives, over both transports: the exact code, a message and no stack
 * trace, nothing written, and the gateway still serving the next request.
 */
class ErrorCodesTest {
    /** Writes to this key make the audit sink fail, to provoke an internal error. */
    private static final String AUDIT_BREAKER = "break-the-audit";

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "limits.valueBytes", "1000",
        "caches.demo.write", "[alice]",
        "security.tokens", "{ alice-token = alice }"), new AbstractModule() {
            @Override
            protected void configure() {
                bind(AuditSink.class).toInstance(entry -> {
                    if (entry.keys().contains(AUDIT_BREAKER)) {
                        throw new IllegalStateException("audit store is down");
                    }
                });
            }
        });

    static Stream<Arguments> badRequests() {
        List<Arguments> cases = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            cases.addAll(List.of(
                Arguments.of(transport, "cache/get", "not an object"),
                Arguments.of(transport, "cache/get", Map.of("key", "k")),
                Arguments.of(transport, "cache/get", Map.of("cache", 42, "key", "k")),
                Arguments.of(transport, "cache/get", Map.of("cache", "default")),
                Arguments.of(transport, "cache/get", Map.of("cache", "default", "key", 7)),
                Arguments.of(transport, "cache/get", Map.of("cache", "default", "key", "")),
                Arguments.of(transport, "cache/put", Map.of("cache", "default", "key", "k")),
                Arguments.of(transport, "cache/put", withNull(Map.of("cache", "default", "key", "k"), "value")),
                Arguments.of(transport, "cache/put", Map.of("cache", "default", "key", "k", "value", 1, "lifespanMs", -5)),
                Arguments.of(transport, "cache/put", Map.of("cache", "default", "key", "k", "value", 1, "lifespanMs", "soon")),
                Arguments.of(transport, "cache/put", Map.of("cache", "default", "key", "k", "value", 1, "maxIdleMs", 1.5)),
                Arguments.of(transport, "cache/replace", Map.of("cache", "default", "key", "k", "value", 1)),
                Arguments.of(transport, "cache/replace", Map.of("cache", "default", "key", "k", "value", 1, "ifVersion", "7")),
                Arguments.of(transport, "cache/remove", Map.of("cache", "default", "key", "k", "ifVersion", true)),
                Arguments.of(transport, "cache/getAll", Map.of("cache", "default", "keys", "k")),
                Arguments.of(transport, "cache/getAll", Map.of("cache", "default", "keys", List.of("a", 2))),
                Arguments.of(transport, "cache/entries", Map.of("cache", "default", "limit", 0)),
                Arguments.of(transport, "cache/entries", Map.of("cache", "default", "limit", 1001)),
                Arguments.of(transport, "cache/entries", Map.of("cache", "default", "after", "not*a*cursor")),
                Arguments.of(transport, "cache/frobnicate", Map.of("cache", "default", "key", "k")),
                Arguments.of(transport, "cache/get/deeper", Map.of("cache", "default", "key", "k")),
                Arguments.of(transport, "other", Map.of("cache", "default", "key", "k"))));
        }
        return cases.stream();
    }

    private static Map<String, Object> withNull(Map<String, Object> fields, String nullField) {
        Map<String, Object> result = new HashMap<>(fields);
        result.put(nullField, null);
        return result;
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badRequestsAreAnsweredAndWriteNothing(Transport transport, String target, Object data) {
        GridpushClient client = gateway.shared(transport);
        Message reply = Raw.call(client, target, data);
        assertError(reply, ErrorCode.BAD_REQUEST);
        assertFalse(Await.result(client.cache("default").get("k")).found(), "nothing was written");
        assertStillServes(transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownCachesAreNamed(Transport transport) {
        GridpushClient client = gateway.client(transport);
        assertError(Raw.call(client, "cache/put", Map.of("cache", "nope", "key", "k", "value", 1)), ErrorCode.UNKNOWN_CACHE);
        assertError(Raw.call(client, "cache/get", Map.of("cache", "../default", "key", "k")), ErrorCode.UNKNOWN_CACHE);
        assertEquals(ErrorCode.UNKNOWN_CACHE, Await.error(client.cache("nope").get("k")).code());
        assertStillServes(transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void writesWithoutTheRightAreForbiddenAndUnapplied(Transport transport) {
        String key = "guarded-" + transport;
        GridpushClient alice = gateway.client(TestGateway.options(transport).withToken("alice-token"));
        long version = Await.result(alice.cache("demo").put(key, "alice's")).version();

        RemoteCache anonymous = gateway.client(transport).cache("demo");
        assertEquals("alice's", Await.result(anonymous.get(key)).value(), "anonymous may still read");
        for (var attempt : List.<java.util.function.Supplier<java.util.concurrent.CompletableFuture<?>>>of(
            () -> anonymous.put(key, "mine"), () -> anonymous.putIfAbsent(key + "-new", "mine"),
            () -> anonymous.replace(key, "mine", version), () -> anonymous.remove(key))) {
            GridpushException error = Await.error(attempt.get());
            assertEquals(ErrorCode.FORBIDDEN, error.code());
        }
        var entry = Await.result(anonymous.get(key));
        assertEquals("alice's", entry.value());
        assertEquals(version, entry.version());
        assertFalse(Await.result(anonymous.get(key + "-new")).found());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oversizedInputIsTooLargeAndUnapplied(Transport transport) {
        GridpushClient client = gateway.client(transport);
        RemoteCache cache = client.cache("default");
        String key = "big-" + transport;
        Await.result(cache.put(key, "small"));
        char[] big = new char[2000];
        Arrays.fill(big, 'x');
        assertEquals(ErrorCode.TOO_LARGE, Await.error(cache.put(key, new String(big))).code());
        assertEquals("small", Await.result(cache.get(key)).value(), "the refused value was not written");

        String longKey = "é".repeat(129);
        assertEquals(ErrorCode.TOO_LARGE, Await.error(cache.put(longKey, 1)).code());
        assertEquals(ErrorCode.TOO_LARGE, Await.error(cache.get(longKey)).code());

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1001; ++i) {
            keys.add("k" + i);
        }
        assertEquals(ErrorCode.TOO_LARGE, Await.error(cache.getAll(keys)).code());
        assertStillServes(transport);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void internalFailuresGiveACorrelationIdAndNoStackTrace(Transport transport) {
        GridpushClient client = gateway.client(transport);
        Message reply = Raw.call(client, "cache/put", Map.of("cache", "default", "key", AUDIT_BREAKER, "value", 1));
        assertError(reply, ErrorCode.INTERNAL);
        String message = (String)reply.getDataAsMap().get("message");
        assertTrue(message.matches("internal error, correlation id [0-9a-f-]{36}"), message);
        assertStillServes(transport);
    }

    private static void assertError(Message reply, ErrorCode code) {
        assertFalse(reply.isSuccessful(), () -> "expected " + code.wire() + ", got " + reply);
        assertEquals(code.wire(), Raw.errorCode(reply), () -> "reply " + reply);
        Object text = reply.getDataAsMap().get("message");
        assertTrue(text instanceof String s && !s.isBlank(), "an error has a message");
        assertFalse(((String)text).contains("\tat ") || ((String)text).contains("Exception"), "no stack trace on the wire: " + text);
    }

    private static void assertStillServes(Transport transport) {
        // A session that did nothing wrong: the shared one of the other transport.
        RemoteCache other = gateway.shared(transport == Transport.WEBSOCKET ? Transport.LONG_POLLING : Transport.WEBSOCKET).cache("default");
        long version = Await.result(other.put("health-" + transport, "ok")).version();
        assertEquals(version, Await.result(other.get("health-" + transport)).version());
    }
}
