package io.gridpush.client;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.NodeTests;
import io.gridpush.testkit.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The browser client (gridpush.js and link.js) under Node.js runs {@code webapp/test/token.test.mjs} against a
 * gateway with short-lived JWTs, once per transport: its {@code tokenProvider} is asked at handshake and
 * before expiry (the session goes on), a session whose token expires re-authenticates and its notification
 * goes on, and an expired fixed token is refused as {@code 403::token_expired}.
 */
class JavaScriptTokenProviderTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of(Map.of(
        "security.anonymous", "false",
        "security.jwt.hmacSecret", SECRET,
        "security.jwt.clockSkew", "0s",
        "caches.default.read", "[]",
        "caches.default.write", "[]"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theBrowserClientsTokenProviderKeepsItsNotificationsThroughExpiry(Transport transport) throws Exception {
        NodeTests.run("test/token.test.mjs", gateway.url(), transport, Map.of("GRIDPUSH_JWT_SECRET", SECRET), 3);
    }
}
