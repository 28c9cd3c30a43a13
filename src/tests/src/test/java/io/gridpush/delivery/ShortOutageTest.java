package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.FreezingProxy;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client's connection is cut in the middle of a stream of changes and comes back within maxInterval.
 * Over long polling the session survives and the acknowledgement extension replays what was in flight:
 * every change arrives, in order. Over WebSocket a new connection must handshake again (sessions are
 * bound to their connection), so the client re-syncs: it ends on the last version, never going back.
 */
class ShortOutageTest {
    private static final int CHANGES = 200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCutConnectionMissesNothing(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("bayeux.maxInterval", "20s"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            GridpushClient client = GridpushClient.connect(proxy.cometdUrl(),
                GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            try {
                // Raw subscription, without the client's version filter: exactly what the server delivered.
                List<Long> versions = new CopyOnWriteArrayList<>();
                CountDownLatch last = new CountDownLatch(1);
                GridCache cache = gateway.gateway().grid().cache("default");
                long[] written = new long[CHANGES];
                CompletableFuture<Message> subscribed = new CompletableFuture<>();
                client.bayeux().getChannel(ChannelNames.keyChannel("default", "stream")).subscribe((channel, message) -> {
                    if (message.getDataAsMap().get("version") instanceof Number n) {
                        versions.add(n.longValue());
                    }
                }, subscribed::complete);
                assertTrue(Await.result(subscribed).isSuccessful());
                // And a watch, which the client re-subscribes after a re-handshake: the user's view.
                List<Long> viewed = new CopyOnWriteArrayList<>();
                Await.result(client.cache("default").watch("stream", event -> {
                    if (event.version() >= 0) {
                        viewed.add(event.version());
                        if (event.version() == written[CHANGES - 1]) {
                            last.countDown();
                        }
                    }
                }).ready());
                for (int i = 0; i < CHANGES; ++i) {
                    written[i] = cache.put("stream", i, -1, -1).version();
                    if (i == CHANGES / 2) {
                        proxy.cut();
                    }
                }
                assertTrue(last.await(60, TimeUnit.SECONDS), "the last change reached the watch");
                List<Long> view = new ArrayList<>(viewed);
                for (int i = 1; i < view.size(); ++i) {
                    assertTrue(view.get(i) > view.get(i - 1), "the watch never went backwards: " + view.get(i - 1) + " then " + view.get(i));
                }
                List<Long> seen = new ArrayList<>(versions);
                if (transport == Transport.LONG_POLLING) {
                    List<Long> distinct = seen.stream().distinct().sorted().toList();
                    List<Long> expected = new ArrayList<>();
                    for (long version : written) {
                        expected.add(version);
                    }
                    assertEquals(expected, distinct, "every change arrived (a replay may repeat some; the version rule drops those)");
                }
            } finally {
                client.close();
            }
        }
    }
}
