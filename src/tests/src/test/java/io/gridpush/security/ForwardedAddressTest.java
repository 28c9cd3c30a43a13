package io.gridpush.security;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.RawSession;
import io.gridpush.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Behind a balancer, the client address is the one the balancer forwarded, but only from a configured
 * proxy: the per-address session limit then applies per client; without the setting, forwarded headers
 * change nothing. Over both transports.
 */
class ForwardedAddressTest {
    @ParameterizedTest
    @EnumSource(Transport.class)
    void aTrustedProxyForwardsTheClientAddress(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("http.trustedProxies", "[\"127.0.0.0/8\"]", "limits.sessionsPerAddress", "2"))) {
            List<RawSession> open = new ArrayList<>();
            try {
                assertTrue(handshake(gateway, transport, "10.0.0.1", open), "first session of 10.0.0.1");
                assertTrue(handshake(gateway, transport, "10.0.0.1", open), "second session of 10.0.0.1");
                assertTrue(!handshake(gateway, transport, "10.0.0.1", open), "a third from 10.0.0.1 is over its limit");
                assertTrue(!handshake(gateway, transport, "10.0.0.1, 127.0.0.1", open), "still 10.0.0.1, through two trusted hops");
                assertTrue(handshake(gateway, transport, "10.0.0.1, 10.0.0.2", open), "a claim left of the last untrusted hop is ignored");
                assertTrue(handshake(gateway, transport, "10.0.0.3", open), "another client is not limited");
            } finally {
                open.forEach(RawSession::close);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void forwardedHeadersFromAnyoneElseAreIgnored(Transport transport) throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("limits.sessionsPerAddress", "2"))) {
            List<RawSession> open = new ArrayList<>();
            try {
                assertTrue(handshake(gateway, transport, "10.0.0.1", open));
                assertTrue(handshake(gateway, transport, "10.0.0.2", open));
                assertTrue(!handshake(gateway, transport, "10.0.0.3", open), "all three come from 127.0.0.1, whatever they claim");
            } finally {
                open.forEach(RawSession::close);
            }
        }
    }

    private static boolean handshake(TestGateway gateway, Transport transport, String forwardedFor, List<RawSession> open) {
        RawSession raw = RawSession.open(transport, gateway.url(), Map.of("X-Forwarded-For", forwardedFor));
        open.add(raw);
        RawSession.Answer answer = raw.handshake();
        assertTrue(answer.body().contains("\"successful\":true") || answer.body().contains("403::handshake_denied"), answer.wire());
        return answer.body().contains("\"successful\":true");
    }
}
