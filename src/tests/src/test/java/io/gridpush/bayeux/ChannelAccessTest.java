package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.Raw;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cometd.bayeux.Message;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Only the gateway publishes on /cache/**, and clients subscribe only to the channels of the contract. */
class ChannelAccessTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("caches.demo.read", "[alice]", "security.tokens", "{ alice-token = alice }"));

    static Stream<Arguments> refusedSubscriptions() {
        List<Arguments> cases = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (String channel : List.of("/**", "/*", "/cache/*", "/cache/**", "/cache/default/**", "/cache/*/k",
                "/cache/nope/k", "/cache/nope/*", "/cache/demo/k", "/cache/demo/*", "/chat/room", "/service/cache/get")) {
                cases.add(Arguments.of(transport, channel, "403::subscribe_denied"));
            }
            for (String channel : List.of("/cache/default/$2a", "/cache/default/a$", "/cache/default/$41", "/cache/default/a/b",
                "/cache/default", "/cache/bad name/k", "/cache/default/$C3")) {
                cases.add(Arguments.of(transport, channel, "400::bad_channel"));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("refusedSubscriptions")
    void refusedSubscriptionsGetTheContractCode(Transport transport, String channel, String error) {
        GridpushClient client = gateway.shared(transport);
        Message reply = Raw.subscribe(client, channel, (c, m) -> { });
        assertFalse(reply.isSuccessful(), () -> channel + " -> " + reply);
        assertEquals(error, reply.get(Message.ERROR_FIELD), channel);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void clientPublishesOnCacheChannelsAreRefusedAndReachNobody(Transport transport) throws Exception {
        GridpushClient watcher = gateway.client(transport);
        Events events = new Events();
        String key = "forged-" + transport;
        Await.result(watcher.cache("default").watch(key, events).ready());
        assertEquals(EventType.SNAPSHOT, events.next().type());
        LinkedBlockingQueue<Message> raw = new LinkedBlockingQueue<>();
        assertTrue(Raw.subscribe(watcher, "/cache/default/*", (c, m) -> raw.add(m)).isSuccessful());
        raw.poll(5, TimeUnit.SECONDS); // snapshot-end of the wildcard

        GridpushClient forger = gateway.client(transport);
        String channel = io.gridpush.protocol.ChannelNames.keyChannel("default", key);
        Map<String, Object> forged = Map.of("cache", "default", "key", key, "type", "modified", "value", "forged", "version", Long.MAX_VALUE >> 12);
        for (String target : List.of(channel, "/cache/default/*", "/cache/default/**", "/chat/room")) {
            Message reply = Raw.publish(forger, target, forged);
            assertFalse(reply.isSuccessful(), target);
            assertEquals("403::publish_denied", reply.get(Message.ERROR_FIELD), target);
        }
        // The gateway's own change arrives; the forged ones never did.
        Await.result(forger.cache("default").put(key, "real"));
        assertEquals("real", events.next().value());
        assertNull(events.poll(200));
        Message seen;
        while ((seen = raw.poll(500, TimeUnit.MILLISECONDS)) != null) {
            assertFalse("forged".equals(seen.getDataAsMap().get("value")), "a forged event was delivered: " + seen);
        }
        assertFalse(Await.result(forger.cache("default").get(key)).value().equals("forged"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void readersWithTheRightMaySubscribeAndUnknownTokensMayNotHandshake(Transport transport) throws Exception {
        GridpushClient alice = gateway.client(TestGateway.options(transport).withToken("alice-token"));
        Events events = new Events();
        Await.result(alice.cache("demo").watchAll(events).ready());
        assertEquals(EventType.SNAPSHOT_END, events.next(EventType.SNAPSHOT_END).type());

        io.gridpush.protocol.GridpushException refused = org.junit.jupiter.api.Assertions.assertThrows(
            io.gridpush.protocol.GridpushException.class,
            () -> gateway.client(TestGateway.options(transport).withToken("stolen-token")));
        assertEquals(io.gridpush.protocol.ErrorCode.FORBIDDEN, refused.code());
        assertTrue(refused.getMessage().contains("403::handshake_denied"), refused.getMessage());
    }
}
