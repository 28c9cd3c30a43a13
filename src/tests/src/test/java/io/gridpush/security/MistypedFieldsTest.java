package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.Await;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bayeux fields of the wrong type, and batches CometD cannot take, over both transports: each is answered
 * by the contract (HTTP 400 or a WebSocket close 1008 with a plain reason; a Bayeux error where the message
 * can still be answered), never a 5xx, a 1011 or a Java name, nothing is written, and others are served.
 */
class MistypedFieldsTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of("bayeux.timeout", "1000"));

    /** {@code $ID} stands for the session's clientId. */
    private static final List<String> BATCHES = List.of(
        "[{\"channel\":5,\"clientId\":\"$ID\",\"data\":{}}]",
        "[{\"channel\":null,\"clientId\":\"$ID\"}]",
        "[{\"channel\":[\"/meta/connect\"],\"clientId\":\"$ID\"}]",
        "[{\"clientId\":\"$ID\",\"data\":{}}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":5,\"connectionType\":\"long-polling\"}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":{\"a\":1},\"connectionType\":\"long-polling\"}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":\"$ID\",\"connectionType\":\"long-polling\",\"advice\":\"x\"}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":\"$ID\",\"connectionType\":\"long-polling\",\"advice\":{\"timeout\":\"x\"}}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":\"$ID\",\"connectionType\":\"long-polling\",\"advice\":{\"interval\":1.5}}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":\"$ID\",\"connectionType\":7}]",
        "[{\"channel\":\"/meta/connect\",\"clientId\":\"$ID\",\"connectionType\":\"long-polling\",\"ext\":{\"ack\":\"x\"}}]",
        "[{\"channel\":\"/service/cache/put\",\"clientId\":\"$ID\",\"ext\":\"x\",\"data\":{\"cache\":\"default\",\"key\":\"mistyped\",\"value\":1}}]",
        "[{\"channel\":\"/service/cache/put\",\"clientId\":\"$ID\",\"id\":{\"x\":1},\"data\":{\"cache\":\"default\",\"key\":\"mistyped\",\"value\":1}}]",
        "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\",\"websocket\"]}," +
            "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\",\"websocket\"]}]",
        "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":\"websocket\"}]",
        "[{\"channel\":\"/meta/handshake\",\"version\":1,\"supportedConnectionTypes\":[\"websocket\",\"long-polling\"]}]",
        "[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"supportedConnectionTypes\":[null]}]",
        "[{\"channel\":\"/service//cache/get\",\"clientId\":\"$ID\",\"data\":{\"cache\":\"default\",\"key\":\"k\"}}]",
        "[{\"channel\":\"/service/cache/\",\"clientId\":\"$ID\",\"data\":{}}]",
        "[{\"channel\":\"/\",\"clientId\":\"$ID\",\"data\":{}}]",
        "[{\"channel\":\"/service/*/put\",\"clientId\":\"$ID\",\"data\":{}}]",
        "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$ID\",\"subscription\":5}]",
        "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$ID\",\"subscription\":[null]}]",
        "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$ID\",\"subscription\":[\"/cache/default/a\",7]}]",
        "[{\"channel\":\"/meta/subscribe\",\"clientId\":\"$ID\",\"subscription\":\"/cache//x\"}]",
        "[{\"channel\":\"/meta/unsubscribe\",\"clientId\":\"$ID\",\"subscription\":{}}]",
        "[{\"channel\":\"/service/cache/put\",\"clientId\":\"$ID\",\"data\":{\"cache\":\"default\",\"key\":\"mistyped\",\"value\":[1,null]},\"x\":[null]}," +
            "{\"channel\":\"/service/cache/get\",\"clientId\":\"$ID\",\"data\":[null,[null]]}]",
        "[{\"channel\":\"/service/cache/put\",\"clientId\":\"$ID\",\"data\":{\"cache\":\"default\",\"key\":\"mistyped\",\"key\":\"other\",\"value\":1}}]",
        "[{\"channel\":\"/meta/disconnect\",\"clientId\":\"$ID\",\"successful\":\"yes\"}]");

    static Stream<Arguments> batches() {
        List<Arguments> all = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (String batch : BATCHES) {
                all.add(Arguments.of(transport, batch));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("batches")
    void aMistypedBatchGetsAContractAnswer(Transport transport, String batch) {
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            assertTrue(raw.handshake().body().contains("\"successful\":true"));
            String sent = batch.replace("$ID", raw.clientId());
            RawSession.Answer answer = raw.send(sent);
            Wire.assertContractAnswer(answer, sent);
            if (!answer.closed() && answer.status() == 200) {
                // Still open: the session keeps working.
                assertTrue(raw.call("get", "{\"cache\":\"default\",\"key\":\"k\"}").body().contains("\"successful\":true"), sent);
            }
        }
        var mistyped = gateway.gateway().grid().cache("default").get("mistyped");
        assertTrue(mistyped == null || mistyped.json().equals("[1,null]"), "only the well-typed put is applied: " + mistyped);
        assertNull(gateway.gateway().grid().cache("default").get("other"), "a duplicate field is not applied");
        assertStillServes(transport);
    }

    private static void assertStillServes(Transport transport) {
        var cache = gateway.shared(transport).cache("default");
        long version = Await.result(cache.put("still-serving", 1)).version();
        assertEquals(version, Await.result(cache.get("still-serving")).version());
    }
}
