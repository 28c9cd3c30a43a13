package io.gridpush.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * bench cluster, small: two gateway processes form a cluster, watchers on both get every write made on
 * either (lost = 0 counts the deliveries across nodes), and each node's CPU is measured.
 */
class ClusterBenchTest {
    @Test
    void twoNodesDeliverEveryWriteToWatchersOnBothAndMeasureEachNode(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("cluster.json");
        assertEquals(0, new CommandLine(new ClusterBench()).execute("--nodes", "2", "--clients", "10", "--keys", "5", "--keys-per-client", "2",
            "--rate", "40", "--warmup", "2s", "--duration", "3s", "--heap", "256m", "--json", json.toString()));
        Map<?, ?> result = (Map<?, ?>)new JSON().fromJSON(Files.readString(json));
        assertEquals(0L, result.get("lost"), result.toString());
        assertEquals(((Number)result.get("expected")).longValue(), ((Number)result.get("received")).longValue(), result.toString());
        assertTrue(((Number)result.get("received")).longValue() > 0, result.toString());
        Object[] cpu = (Object[])result.get("node_cpu_s");
        assertEquals(2, cpu.length, "one figure per node: " + List.of(cpu));
        for (Object seconds : cpu) {
            assertTrue(((Number)seconds).doubleValue() > 0, "each node used CPU in the window: " + List.of(cpu));
        }
    }
}
