package io.gridpush.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping node first reports 503 on /health for the drain period while still serving its clients, then closes. */
class GracefulStopTest {
    @Test
    void healthTurns503WhileTheNodeDrainsThenTheNodeStops() throws Exception {
        TestGateway gateway = TestGateway.start(Map.of("http.drain", "3s"));
        URI health = gateway.gateway().uri().resolve("/health");
        GridpushClient client = gateway.client(Transport.WEBSOCKET);
        assertEquals(200, status(health));

        CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> {
            try {
                gateway.gateway().stop();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int seen = 200;
        while (seen == 200 && System.nanoTime() < deadline) {
            seen = status(health);
        }
        assertEquals(503, seen, "draining: the balancer is told to stop sending clients here");
        assertTrue(Await.result(client.cache("default").put("during-drain", 1)).applied(), "existing clients are still served while draining");
        stopped.get(30, TimeUnit.SECONDS);
        assertTrue(gateway.gateway().isStopped());
        client.close();
    }

    /**
     * After the drain, a stopping node answers every operation `unavailable` and applies none: before, a put
     * arriving then got no reply at all, and in a cluster it was applied and pushed although never answered.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Transport.class)
    void afterTheDrainOperationsAreAnsweredUnavailableAndNotApplied(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("http.drain", "0s"))) {
            GridpushClient client = gateway.client(transport);
            Await.result(client.cache("default").put("k", "before"));
            // The step the drain takes once its wait is over, taken alone so that the node stays up to be asked.
            assertTrue(gateway.gateway().injector().getInstance(io.gridpush.operations.OperationRunner.class).stopAccepting(5_000));
            io.gridpush.protocol.GridpushException refused = Await.error(client.cache("default").put("k", "after"));
            assertEquals(io.gridpush.protocol.ErrorCode.UNAVAILABLE, refused.code());
            assertEquals(io.gridpush.protocol.ErrorCode.UNAVAILABLE, Await.error(client.cache("default").remove("k")).code());
            assertEquals("\"before\"", gateway.gateway().grid().cache("default").get("k").json(), "the refused writes changed nothing");
        }
    }

    private static int status(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
