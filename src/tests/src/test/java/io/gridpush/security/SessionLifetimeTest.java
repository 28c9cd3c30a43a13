package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A client cannot choose its session's lifetime: the advice it gives on /meta/connect is bounded by the configuration. */
class SessionLifetimeTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("bayeux.maxInterval", "2000", "bayeux.timeout", "1000"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHugeIntervalAdviceStillLetsTheSessionBeSwept(Transport transport) throws Exception {
        BayeuxServer bayeux = gateway.gateway().injector().getInstance(BayeuxServer.class);
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            raw.handshake();
            String id = raw.clientId();
            CompletableFuture<Boolean> swept = new CompletableFuture<>();
            bayeux.addListener(new BayeuxServer.SessionListener() {
                @Override
                public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
                    if (session.getId().equals(id)) {
                        swept.complete(timeout);
                    }
                }
            });
            String connect = "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + id + "\",\"connectionType\":\"" + raw.transportName() +
                "\",\"advice\":{\"timeout\":0,\"interval\":9007199254740991},\"id\":\"x\"}]";
            raw.send(connect);
            RawSession.Answer answer = raw.send(connect);
            assertTrue(answer.body().contains("\"successful\":true"), answer.wire());
            // Then the client goes silent (its WebSocket stays open): the session must still go, after
            // at most maxInterval plus the bounded interval.
            assertEquals(Boolean.TRUE, swept.get(Events.WAIT_SECONDS, TimeUnit.SECONDS), "swept as expired");
        }
    }
}
