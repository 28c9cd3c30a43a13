package io.gridpush.testkit;

import io.gridpush.client.GridpushClient.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node.js test file of {@code webapp/test/} ({@code node --test}) against a gateway: the browser
 * client or the CometD JavaScript client under Node.js with cometd-nodejs-client. The script finds the
 * gateway in {@code GRIDPUSH_URL} and the transport in {@code GRIDPUSH_TRANSPORT}. Bounded to 3 minutes.
 */
public final class NodeTests {
    private static final long WAIT_MINUTES = 3;

    private NodeTests() {
    }

    /** The test run's output; fails (AssertionError) unless node finished in time with exit 0 and {@code passed} tests passed and none failed. */
    public static String run(String script, String url, Transport transport, Map<String, String> environment, int passed)
        throws IOException, InterruptedException {
        Path webapp = Path.of("webapp");
        if (!Files.isDirectory(webapp.resolve("node_modules/cometd"))) {
            throw new AssertionError("webapp/node_modules is missing: the Maven build runs `npm ci` in webapp/ (needs Node.js and npm)");
        }
        Path log = Files.createTempFile("gridpush-node-", ".log");
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-force-exit", "--test-reporter=spec", script)
            .directory(webapp.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        Map<String, String> env = new HashMap<>(environment);
        env.put("GRIDPUSH_URL", url);
        env.put("GRIDPUSH_TRANSPORT", transport == Transport.WEBSOCKET ? "websocket" : "long-polling");
        builder.environment().putAll(env);
        Process node = builder.start();
        boolean finished = node.waitFor(WAIT_MINUTES, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            node.destroyForcibly();
            throw new AssertionError("node did not finish within " + WAIT_MINUTES + " minutes:\n" + output);
        }
        if (node.exitValue() != 0 || !output.contains("fail 0") || !output.contains("pass " + passed)) {
            throw new AssertionError("node " + script + " exited " + node.exitValue() + ", expected " + passed + " passed and none failed:\n" + output);
        }
        return output;
    }
}
