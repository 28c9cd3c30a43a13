package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        Path webapp = Path.of("webapp");
        assertTrue(Files.isDirectory(webapp.resolve("node_modules/cometd")),
            "webapp/node_modules is missing: the Maven build runs `npm ci` in webapp/ (needs Node.js and npm)");
        Path log = Files.createTempFile("gridpush-node-", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-force-exit", "--test-reporter=spec", "test/token.test.mjs")
            .directory(webapp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("GRIDPUSH_URL", gateway.url());
        builder.environment().put("GRIDPUSH_TRANSPORT", transport == Transport.WEBSOCKET ? "websocket" : "long-polling");
        builder.environment().put("GRIDPUSH_JWT_SECRET", SECRET);
        Process node = builder.start();
        boolean finished = node.waitFor(3, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            node.destroyForcibly();
        }
        assertTrue(finished, "node did not finish within 3 minutes:\n" + output);
        assertEquals(0, node.exitValue(), output);
        assertTrue(output.contains("fail 0") && output.contains("pass 3"), output);
    }
}
