package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.bench.FreezingProxy;
import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.support.Await;
import io.gridpush.support.TestGateway;
import io.gridpush.support.View;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A client stops reading (its socket stays open) while 1,000 keys are updated 100 times each: its
 * backlog on the server stays under the bound, a healthy client keeps receiving, and once the frozen
 * client reads again it ends with exactly the final value of every key.
 */
class FrozenConsumerTest {
    private static final int KEYS = 1000;
    private static final int ROUNDS = 100;
    private static final int BOUND = 1200;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrozenConsumerIsBoundedAndCatchesUp(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", String.valueOf(BOUND),
                 "limits.subscriptionsPerSession", "10", "limits.snapshotEntries", String.valueOf(KEYS)));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            String proxied = "http://127.0.0.1:" + proxy.port() + "/cometd";
            GridpushClient frozen = GridpushClient.connect(proxied, GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            View frozenView = new View();
            Await.result(frozen.cache("default").watchAll(frozenView).ready());
            View healthyView = new View();
            Await.result(gateway.client(transport).cache("default").watchAll(healthyView).ready());

            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            ServerSession session = bayeux.getSession(frozen.bayeux().getId());
            proxy.freeze();
            GridCache cache = gateway.gateway().grid().cache("default");
            int largest = 0;
            for (int round = 0; round < ROUNDS; ++round) {
                for (int k = 0; k < KEYS; ++k) {
                    cache.put("k" + k, Map.of("round", round), -1, -1);
                }
                largest = Math.max(largest, Backlogs.of(session));
            }
            largest = Math.max(largest, Backlogs.of(session));
            System.out.printf("frozen %s session: largest backlog %d messages (bound %d) after %d writes%n", transport, largest, BOUND, KEYS * ROUNDS);
            assertTrue(largest <= BOUND + 1, "the frozen session's backlog stayed under the bound: " + largest);

            List<String> keys = IntStream.range(0, KEYS).mapToObj(k -> "k" + k).toList();
            Map<String, Object> expected = View.serverState(cache, keys);
            healthyView.awaitEquals(expected, "the healthy client kept receiving");

            proxy.thaw();
            frozenView.awaitEquals(expected, "the frozen client caught up");
            frozen.close();
        }
    }
}
