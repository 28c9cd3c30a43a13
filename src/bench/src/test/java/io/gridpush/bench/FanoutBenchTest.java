package io.gridpush.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gridpush.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The load tool runs end to end, small, against an in-process gateway and a separate one, and counts every delivery. */
class FanoutBenchTest {
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "long-polling"})
    void fanoutCountsEveryDeliveryInProcessAndAgainstAUrl(String transport, @TempDir Path dir) throws Exception {
        Path inProcess = dir.resolve("in-process.json");
        assertEquals(0, new CommandLine(new FanoutBench()).execute("--clients", "20", "--keys", "10", "--keys-per-client", "2",
            "--rate", "50", "--warmup", "1s", "--duration", "2s", "--transport", transport, "--json", inProcess.toString()));
        Map<?, ?> local = (Map<?, ?>)new JSON().fromJSON(Files.readString(inProcess));
        assertEquals(0L, local.get("lost"), local.toString());
        assertTrue(((Number)local.get("received")).longValue() > 0, local.toString());
        assertEquals(((Number)local.get("expected")).longValue(), ((Number)local.get("received")).longValue());
        long inWindow = ((Number)local.get("received_in_window")).longValue();
        assertTrue(inWindow > 0 && inWindow <= ((Number)local.get("received")).longValue(), "throughput counts only the window: " + local);
        assertEquals(Math.round(inWindow / 2.0), ((Number)local.get("delivered_per_s")).longValue(), local.toString());
        assertTrue(((Number)local.get("server_cpu_s")).doubleValue() >= 0, "in-process: server CPU is measured");

        Path frozen = dir.resolve("frozen.json");
        assertEquals(0, new CommandLine(new FanoutBench()).execute("--clients", "20", "--keys", "10", "--keys-per-client", "2",
            "--rate", "50", "--warmup", "1s", "--duration", "2s", "--transport", transport, "--frozen-percent", "20", "--json", frozen.toString()));
        Map<?, ?> withFrozen = (Map<?, ?>)new JSON().fromJSON(Files.readString(frozen));
        assertEquals(0L, withFrozen.get("lost"), "frozen consumers cost the healthy ones nothing: " + withFrozen);
        assertTrue(((Number)withFrozen.get("received")).longValue() > 0);

        Path baseline = dir.resolve("baseline.json");
        assertEquals(0, new CommandLine(new FanoutBench()).execute("--clients", "20", "--keys", "10", "--keys-per-client", "2",
            "--rate", "50", "--warmup", "1s", "--duration", "2s", "--transport", transport, "--baseline", "--json", baseline.toString()));
        Map<?, ?> plain = (Map<?, ?>)new JSON().fromJSON(Files.readString(baseline));
        assertEquals("cometd-broadcast", plain.get("system"));
        assertEquals(0L, plain.get("lost"), "plain broadcasts reach every watcher: " + plain);
        assertTrue(((Number)plain.get("received")).longValue() > 0, plain.toString());

        try (TestGateway remote = TestGateway.start()) {
            Path external = dir.resolve("url.json");
            assertEquals(0, new CommandLine(new FanoutBench()).execute("--clients", "10", "--keys", "5", "--keys-per-client", "2",
                "--rate", "40", "--warmup", "1s", "--duration", "2s", "--transport", transport, "--url", remote.url(), "--json", external.toString()));
            Map<?, ?> result = (Map<?, ?>)new JSON().fromJSON(Files.readString(external));
            assertEquals(0L, result.get("lost"), result.toString());
            assertEquals(-1.0, ((Number)result.get("server_cpu_s")).doubleValue(), "not measured for a gateway elsewhere");
            assertEquals(1, new CommandLine(new FanoutBench()).execute("--url", remote.url(), "--set", "delivery.flushThreads=1"),
                "--set configures only the in-process gateway, so it is refused with --url");
        }
    }
}
