package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.cache.Versioned;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.Wire;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An acknowledged write reads back exactly what was sent, and the same on both transports; a value that
 * cannot be kept exactly (an integer past 64 bits, a decimal finer than a double, a lone surrogate) is
 * refused with {@code bad_request} and not written.
 */
class ValueFidelityTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    /** The value as sent, and as stored (null: refused). */
    private static final String[][] VALUES = {
        {"[[1,2],[3,4]]", "[[1,2],[3,4]]"},
        {"[[[]],[{}],[null]]", "[[[]],[{}],[null]]"},
        {"{\"a\":[1,null,\"x\"],\"b\":{\"c\":[true,false]}}", "{\"a\":[1,null,\"x\"],\"b\":{\"c\":[true,false]}}"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"9007199254740993", "9007199254740993"},
        {"9223372036854775808", null},
        {"18446744073709551616", null},
        {"123456789012345678901234567890", null},
        {"[1,123456789012345678901234567890]", null},
        {"1.5", "1.5"},
        {"0.1", "0.1"},
        {"-0.0", "-0.0"},
        {"1.00000000000000000001", null},
        {"1e400", null},
        {"1e-400", null},
        {"\"\\ud800\"", null},
        {"{\"\\udc00\":1}", null},
        {"\"\\ud83d\\ude00\"", "\"\ud83d\ude00\""},
        {"\"line\\nbreak\"", "\"line\\nbreak\""},
    };

    static Stream<Arguments> values() {
        List<Arguments> all = new ArrayList<>();
        for (Transport transport : Transport.values()) {
            for (String[] value : VALUES) {
                all.add(Arguments.of(transport, value[0], value[1]));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("values")
    void aWriteReadsBackExactlyOrIsRefused(Transport transport, String sent, String stored) {
        String key = transport + "-" + Integer.toHexString(sent.hashCode());
        try (RawSession raw = RawSession.open(transport, gateway.url())) {
            raw.handshake();
            RawSession.Answer answer = raw.call("put", "{\"cache\":\"default\",\"key\":\"" + key + "\",\"value\":" + sent + "}");
            Wire.assertContractAnswer(answer, sent);
            Versioned read = gateway.gateway().grid().cache("default").get(key);
            if (stored == null) {
                assertTrue(answer.body().contains("\"error\":\"bad_request\""), sent + " -> " + answer.wire());
                assertNull(read, "a refused write is not applied");
            } else {
                assertTrue(answer.body().contains("\"successful\":true"), sent + " -> " + answer.wire());
                assertEquals(stored, read.json());
                RawSession.Answer get = raw.call("get", "{\"cache\":\"default\",\"key\":\"" + key + "\"}");
                assertTrue(get.body().contains("\"value\":" + stored), get.wire());
            }
        }
    }
}
