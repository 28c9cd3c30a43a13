package io.gridpush.client;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.testkit.TestGateway;
import io.gridpush.testkit.NodeTests;
import java.nio.file.Path;
import java.util.Map;
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
        Path vectors = Path.of(System.getProperty("gridpush.vectors", io.gridpush.testkit.Vectors.PATH));
        NodeTests.run("test/contract.test.mjs", gateway.url(), transport, Map.of("GRIDPUSH_VECTORS", vectors.toAbsolutePath().toString()), 7);
    }
}
