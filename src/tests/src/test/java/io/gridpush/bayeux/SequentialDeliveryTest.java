package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One writer, one watcher, one write at a time: each change arrives, promptly, before the next write. */
class SequentialDeliveryTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyWriteIsDeliveredBeforeTheNext(Transport transport) throws Exception {
        GridpushClient client = gateway.client(transport);
        RemoteCache cache = client.cache("default");
        String key = "seq-" + transport;
        Events events = new Events();
        Await.result(cache.watch(key, events).ready());
        events.next(EventType.SNAPSHOT);
        for (int i = 0; i < 200; ++i) {
            cache.put(key, java.util.Map.of("seq", i, "sentNanos", System.nanoTime()));
            int expected = i;
            assertEquals((long)expected, ((java.util.Map<?, ?>)events.until(e -> e.type() != EventType.SNAPSHOT).value()).get("seq"), "write " + i);
        }
    }
}
