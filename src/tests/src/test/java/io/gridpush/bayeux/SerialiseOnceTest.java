package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.EventType;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.Events;
import io.gridpush.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerMessageImpl;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every change is serialised to JSON once for all its subscribers: each session is handed the same message
 * instance, already frozen (its JSON generated and cached), and CometD's transports write a frozen
 * message's cached JSON instead of generating it again.
 */
class SerialiseOnceTest {
    private static final int SUBSCRIBERS = 20;

    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneChangeIsOneFrozenMessageSharedByEverySubscriber(Transport transport) throws Exception {
        String key = "once-" + transport;
        String channel = ChannelNames.keyChannel("default", key);
        BayeuxServerImpl bayeux = gateway.gateway().injector().getInstance(BayeuxServerImpl.class);
        // What each session is handed, and whether it was already frozen then (its JSON generated and cached),
        // before any transport wrote it.
        Set<ServerMessage> handed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        List<Boolean> frozenWhenHanded = Collections.synchronizedList(new ArrayList<>());
        List<GridpushClient> clients = new ArrayList<>();
        List<Events> events = new ArrayList<>();
        try {
            for (int i = 0; i < SUBSCRIBERS; ++i) {
                GridpushClient client = GridpushClient.connect(gateway.url(),
                    GridpushClient.Options.defaults().withTransports(transport).withTimeout(Duration.ofSeconds(20)));
                clients.add(client);
                Events received = new Events();
                events.add(received);
                Await.result(client.cache("default").watch(key, received).ready());
                assertEquals(EventType.SNAPSHOT, received.next().type());
                bayeux.getSession(client.bayeux().getId()).addExtension(new ServerSession.Extension() {
                    @Override
                    public ServerMessage send(ServerSession sender, ServerSession session, ServerMessage message) {
                        if (channel.equals(message.getChannel())) {
                            handed.add(message);
                            frozenWhenHanded.add(message instanceof ServerMessageImpl impl && impl.getJSON() != null);
                        }
                        return message;
                    }
                });
            }

            long version = gateway.gateway().grid().cache("default").put(key, Map.of("n", 1), -1, -1).version();
            for (Events received : events) {
                CacheEvent event = received.next();
                assertEquals(version, event.version());
                assertEquals(Map.of("n", 1L), event.value());
            }

            assertEquals(SUBSCRIBERS, frozenWhenHanded.size(), "every subscriber was handed the change");
            assertEquals(1, handed.size(), "one message instance for all subscribers");
            assertTrue(frozenWhenHanded.stream().allMatch(Boolean::booleanValue), "frozen before any session got it: " + frozenWhenHanded);
            assertNotNull(((ServerMessageImpl)handed.iterator().next()).getJSON(), "its JSON is generated and cached");
        } finally {
            clients.forEach(GridpushClient::close);
        }
    }
}
