package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official CometD JavaScript client, under Node.js with cometd-nodejs-client, runs the contract
 * suite in {@code webapp/test/contract.test.mjs} against a real gateway, once per transport.
 */
class JavaScriptClientTest {
    @RegisterExtension
    static final TestGateway gateway = TestGateway.of();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theContractHoldsForTheCometDJavaScriptClient(Transport transport) throws Exception {
        Path webapp = Path.of("webapp");
        assertTrue(Files.isDirectory(webapp.resolve("node_modules/cometd")),
            "webapp/node_modules is missing: the Maven build runs `npm ci` in webapp/ (needs Node.js and npm)");
        Path log = Files.createTempFile("gridpush-node-", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-force-exit", "--test-reporter=spec", "test/contract.test.mjs")
            .directory(webapp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().put("GRIDPUSH_URL", gateway.url());
        builder.environment().put("GRIDPUSH_TRANSPORT", transport == Transport.WEBSOCKET ? "websocket" : "long-polling");
        Path vectors = Path.of(System.getProperty("gridpush.vectors", io.gridpush.testkit.Vectors.PATH));
        builder.environment().put("GRIDPUSH_VECTORS", vectors.toAbsolutePath().toString());
        Process node = builder.start();
        boolean finished = node.waitFor(3, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            node.destroyForcibly();
        }
        assertTrue(finished, "node did not finish within 3 minutes:\n" + output);
        assertEquals(0, node.exitValue(), output);
        assertTrue(output.contains("fail 0") && output.contains("pass 7"), output);
    }
}
