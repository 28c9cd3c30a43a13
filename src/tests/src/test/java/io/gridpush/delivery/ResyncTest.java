package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.bayeux.BacklogGuard;
import io.gridpush.testkit.FreezingProxy;
import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.View;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The resync path: a frozen client watches a cache with more distinct keys changing than its backlog bound,
 * so conflation cannot help. The gateway drops the backlog and sends {@code resync}; the client re-syncs
 * from a snapshot that is itself truncated (the cache holds more than limits.snapshotEntries) and completes
 * it by paging. It ends with exactly the server's state: new values, new keys, and without the keys removed
 * while it was frozen.
 */
class ResyncTest {
    private static final int KEYS = 600;
    private static final int BOUND = 500;
    private static final int SNAPSHOT_ENTRIES = 300;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientTooFarBehindIsToldToResyncAndConverges(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", String.valueOf(BOUND),
                 "limits.subscriptionsPerSession", "10", "limits.snapshotEntries", String.valueOf(SNAPSHOT_ENTRIES)));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            GridCache cache = gateway.gateway().grid().cache("default");
            List<String> keys = new ArrayList<>();
            for (int k = 0; k < KEYS + 20; ++k) {
                keys.add("r" + k);
            }
            for (int k = 0; k < KEYS; ++k) {
                cache.put(keys.get(k), Map.of("round", -1), -1, -1);
            }
            String proxied = proxy.cometdUrl();
            GridpushClient frozen = GridpushClient.connect(proxied,
                GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            View view = new View();
            Await.result(frozen.cache("default").watchAll(view).ready());
            // The first snapshot is truncated too: the client pages the rest before anything is frozen.
            view.awaitEquals(View.serverState(cache, keys), "the first sync completed past the snapshot limit");

            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            ServerSession session = bayeux.getSession(frozen.bayeux().getId());
            proxy.freeze();
            // Rounds of writes until the session's backlog reaches its bound (bounded): over WebSocket the
            // first changes fill the kernel's socket buffers before anything waits on the gateway.
            int largest = 0;
            String pad = "x".repeat(1000);
            for (int round = 0; round < 3 || (largest < BOUND - BOUND / 8 && round < 200); ++round) {
                for (int k = 0; k < KEYS; ++k) {
                    cache.put(keys.get(k), Map.of("round", round, "pad", pad), -1, -1);
                }
                largest = Math.max(largest, BacklogGuard.backlogOf(session));
            }
            for (int k = 0; k < 50; ++k) {
                cache.remove(keys.get(k), -1);
            }
            for (int k = KEYS; k < KEYS + 20; ++k) {
                cache.put(keys.get(k), Map.of("round", 9, "pad", pad), -1, -1);
            }
            largest = Math.max(largest, BacklogGuard.backlogOf(session));
            assertTrue(largest <= BOUND + 1, "the frozen session's backlog stayed under the bound: " + largest);

            proxy.thaw();
            view.awaitEquals(View.serverState(cache, keys), "the client converged after resync");
            assertTrue(view.resyncs() > 0, "the gateway told the client to resync");
            // Still subscribed after the re-subscription: a later change arrives.
            cache.put(keys.get(KEYS - 1), Map.of("round", 1000, "pad", pad), -1, -1);
            view.awaitEquals(View.serverState(cache, keys), "a change after the resync arrived");
            frozen.close();
        }
    }
}
