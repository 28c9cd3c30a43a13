package io.gridpush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gridpush.protocol.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The version-rule vectors (src/protocol/vectors/version-rule-vectors.json) run by the Java client's
 * {@link VersionGate}, the same cases the JavaScript client runs in webapp/test/version-rule.test.mjs:
 * what a user sees after each sequence of events, not only which versions pass.
 */
class VersionRuleVectorsTest {
    static final Path VECTORS = Path.of("src/protocol/vectors/version-rule-vectors.json");

    static Stream<Arguments> cases() throws Exception {
        Map<?, ?> root = (Map<?, ?>)new JSON().fromJSON(Files.readString(VECTORS));
        return ((List<?>)asList(root.get("cases"))).stream().map(c -> Arguments.of(((Map<?, ?>)c).get("name"), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theClientShowsWhatTheVectorSays(String name, Map<?, ?> vector) {
        VersionGate gate = new VersionGate();
        Map<Object, Object> shows = new HashMap<>();
        List<Object> admitted = new ArrayList<>();
        for (Object item : asList(vector.get("steps"))) {
            Map<?, ?> step = (Map<?, ?>)item;
            if (step.containsKey("resync")) {
                gate.resync();
            } else if (step.containsKey("syncEnd")) {
                gate.vanished().forEach(shows::remove);
            } else {
                CacheEvent event = event((Map<?, ?>)step.get("event"));
                boolean applied = gate.admit(event);
                admitted.add(applied);
                if (applied && event.present()) {
                    shows.put(event.key(), event.value());
                } else if (applied) {
                    shows.remove(event.key());
                }
            }
        }
        assertEquals(asList(vector.get("admitted")), admitted, name + ": admitted");
        assertEquals(vector.get("shows"), shows, name + ": shown");
    }

    /** The same vectors through the browser client's VersionGate, under Node.js (no gateway needed). */
    @org.junit.jupiter.api.Test
    void theJavaScriptClientShowsWhatTheVectorsSay() throws Exception {
        Path log = Files.createTempFile("gridpush-version-rule-", ".log");
        Process node = new ProcessBuilder("node", "--test", "--test-reporter=spec", "test/version-rule.test.mjs")
            .directory(Path.of("webapp").toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = node.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
        if (!finished) {
            node.destroyForcibly();
        }
        String output = Files.readString(log);
        org.junit.jupiter.api.Assertions.assertTrue(finished, "node did not finish within 2 minutes:\n" + output);
        assertEquals(0, node.exitValue(), output);
        org.junit.jupiter.api.Assertions.assertTrue(output.matches("(?s).*\\bpass " + cases().count() + "\\b.*"), "every vector ran:\n" + output);
    }

    private static CacheEvent event(Map<?, ?> data) {
        Object version = data.get("version");
        return new CacheEvent("c", (String)data.get("key"), EventType.fromWire(data.get("type")), data.get("value"),
            version instanceof Number n ? n.longValue() : -1, Boolean.TRUE.equals(data.get("found")), 0, false);
    }

    private static List<?> asList(Object array) {
        return array instanceof Object[] items ? List.of(items) : (List<?>)array;
    }
}
