package io.gridpush.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.bayeux.BacklogGuard;
import io.gridpush.testkit.FreezingProxy;
import io.gridpush.cache.GridCache;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.View;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
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
            String proxied = proxy.cometdUrl();
            GridpushClient frozen = GridpushClient.connect(proxied,
                GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            View frozenView = new View();
            Await.result(frozen.cache("default").watchAll(frozenView).ready());
            View healthyView = new View();
            GridpushClient healthy = gateway.client(transport);
            Await.result(healthy.cache("default").watchAll(healthyView).ready());

            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            ServerSession session = bayeux.getSession(frozen.bayeux().getId());
            proxy.freeze();
            GridCache cache = gateway.gateway().grid().cache("default");
            int largest = 0;
            for (int round = 0; round < ROUNDS; ++round) {
                for (int k = 0; k < KEYS; ++k) {
                    cache.put("k" + k, Map.of("round", round), -1, -1);
                }
                largest = Math.max(largest, BacklogGuard.backlogOf(session));
            }
            largest = Math.max(largest, BacklogGuard.backlogOf(session));
            System.out.printf("frozen %s session: largest backlog %d messages (bound %d) after %d writes%n", transport, largest, BOUND, KEYS * ROUNDS);
            assertTrue(largest <= BOUND + 1, "the frozen session's backlog stayed under the bound: " + largest);

            List<String> keys = IntStream.range(0, KEYS).mapToObj(k -> "k" + k).toList();
            Map<String, Object> expected = View.serverState(cache, keys);
            try {
                healthyView.awaitEquals(expected, "the healthy client kept receiving");
            } catch (AssertionError x) {
                // Seen once in a full run (long polling, the healthy client stopped at round 23 with no resync):
                // say what the server holds for it, to tell a stalled session from a stalled client.
                ServerSession held = bayeux.getSession(healthy.bayeux().getId());
                throw new AssertionError(x.getMessage() + "; client connected " + healthy.bayeux().isConnected() + ", server session "
                    + (held == null ? "gone" : "backlog " + BacklogGuard.backlogOf(held) + ", subscriptions " + held.getSubscriptions().size()
                    + ", " + held), x);
            }

            proxy.thaw();
            frozenView.awaitEquals(expected, "the frozen client caught up");
            frozen.close();
        }
    }

    /**
     * A frozen client of 20 keys: its backlog is conflated from delivery.conflateAt on, so it holds about that
     * many messages and not delivery.maxQueue (the garbage collector's work for everyone else), and it still
     * ends with exactly the final values.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFrozenConsumerIsConflatedFromConflateAt(Transport transport) throws Exception {
        int conflateAt = 100;
        int keys = 20;
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", String.valueOf(BOUND),
                 "delivery.conflateAt", String.valueOf(conflateAt), "limits.subscriptionsPerSession", "10", "limits.snapshotEntries", "100"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            GridpushClient frozen = GridpushClient.connect(proxy.cometdUrl(),
                GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            View frozenView = new View();
            Await.result(frozen.cache("default").watchAll(frozenView).ready());
            ServerSession session = gateway.gateway().injector().getInstance(BayeuxServerImpl.class).getSession(frozen.bayeux().getId());
            proxy.freeze();
            GridCache cache = gateway.gateway().grid().cache("default");
            int largest = 0;
            for (int round = 0; round < 200; ++round) {
                for (int k = 0; k < keys; ++k) {
                    cache.put("k" + k, Map.of("round", round), -1, -1);
                }
                largest = Math.max(largest, BacklogGuard.backlogOf(session));
            }
            System.out.printf("frozen %s session of %d keys: largest backlog %d messages (conflateAt %d, maxQueue %d) after %d writes%n",
                transport, keys, largest, conflateAt, BOUND, keys * 200);
            // Without conflation before the bound it reaches 1,200. The +1: the acknowledgement queue is
            // checked after a message is added.
            assertTrue(largest <= conflateAt + 1, "the frozen backlog was conflated from conflateAt on: " + largest);
            proxy.thaw();
            frozenView.awaitEquals(View.serverState(cache, IntStream.range(0, keys).mapToObj(k -> "k" + k).toList()),
                "the frozen client caught up with the final values");
            frozen.close();
        }
    }

    /**
     * A client that keeps sending requests but reads nothing: its replies are never dropped, so conflation
     * and resync cannot bound its backlog. The gateway removes its session at the bound instead; once it reads
     * again it handshakes anew and works, and another client never noticed.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientThatDoesNotReadItsRepliesIsRemovedAtTheBound(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("delivery.maxQueue", "50",
                 "limits.subscriptionsPerSession", "10", "limits.snapshotEntries", "10"));
             FreezingProxy proxy = new FreezingProxy(gateway.gateway().uri().getPort())) {
            String proxied = proxy.cometdUrl();
            GridpushClient frozen = GridpushClient.connect(proxied,
                GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(30)));
            BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
            String id = frozen.bayeux().getId();
            ServerSession session = bayeux.getSession(id);
            CountDownLatch removed = new CountDownLatch(1);
            bayeux.addListener(new BayeuxServer.SessionListener() {
                @Override
                public void sessionRemoved(ServerSession gone, ServerMessage message, boolean timeout) {
                    if (gone.getId().equals(id)) {
                        removed.countDown();
                    }
                }
            });
            CountDownLatch handshookAgain = new CountDownLatch(1);
            frozen.bayeux().getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener)(channel, reply) -> {
                if (reply.isSuccessful() && !id.equals(reply.getClientId())) {
                    handshookAgain.countDown();
                }
            });
            GridpushClient other = gateway.client(transport);
            // The removal runs on CometD's scheduler. Holding that thread, as a busy machine does, shows that
            // nothing more is queued for the session once its removal is decided (a long-polling session's
            // acknowledgement queue used to grow to twice the bound meanwhile).
            CountDownLatch release = new CountDownLatch(1);
            bayeux.getScheduler().schedule(() -> {
                try {
                    release.await(Events.WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }, 0, TimeUnit.MILLISECONDS);
            proxy.freeze();
            // Batches, so that long polling sends many requests in one HTTP request despite the stuck replies;
            // over WebSocket the replies first fill the kernel's socket buffers, hence the repetition (bounded).
            // Five more batches once the bound is reached: replies that must not be queued.
            io.micrometer.core.instrument.Counter decided = gateway.gateway().injector().getInstance(GatewayMetrics.class)
                .removedSessions("backlog");
            int more = 5;
            boolean reached = false;
            for (int batch = 0; batch < 200 && more > 0; ++batch) {
                reached |= decided.count() > 0;
                if (reached) {
                    --more;
                }
                int first = batch * 120;
                frozen.bayeux().batch(() -> {
                    for (int i = first; i < first + 120; ++i) {
                        frozen.cache("default").get("unread-" + i);
                    }
                });
                Thread.sleep(20);
            }
            // A loaded machine may still be answering the last batches: the decision is awaited (bounded).
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(Events.WAIT_SECONDS)).pollInterval(Duration.ofMillis(50))
                    .until(() -> decided.count() > 0);
                reached = true;
            } catch (org.awaitility.core.ConditionTimeoutException x) {
                // Asserted below, after the scheduler is released.
            }
            release.countDown();
            assertTrue(reached, "the removal was decided at the bound: " + BacklogGuard.backlogOf(session));
            assertTrue(removed.await(Events.WAIT_SECONDS, TimeUnit.SECONDS), "the session was removed");
            assertNull(bayeux.getSession(id), "the session was removed");
            // +1: the acknowledgement extension checks its bound after adding a message.
            assertTrue(BacklogGuard.backlogOf(session) <= 51, "its backlog never passed the bound: " + BacklogGuard.backlogOf(session));
            Await.result(other.cache("default").put("other", "fine"));
            assertEquals("fine", Await.result(other.cache("default").get("other")).value());

            proxy.thaw();
            // The client learns it was removed when its pending /meta/connect ends (up to the long-poll timeout
            // plus network delay, about 35 s) and is answered 402::unknown_session: wait up to 60 s.
            assertTrue(handshookAgain.await(60, TimeUnit.SECONDS), "the client handshook again");
            assertNotEquals(id, frozen.bayeux().getId(), "with a new session");
            // Calls sent while the old connection was being torn down fail as unavailable, which is safe to retry.
            Object value = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> {
                    try {
                        return Await.result(frozen.cache("default").get("other")).value();
                    } catch (GridpushException x) {
                        assertEquals(ErrorCode.UNAVAILABLE, x.code(), "only a transient failure: " + x);
                        return null;
                    }
                }, java.util.Objects::nonNull);
            assertEquals("fine", value);
            frozen.close();
        }
    }
}
