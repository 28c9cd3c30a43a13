package io.gridpush.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The frozen workload runs end to end against its child gateway and samples the heap per frozen session. */
class FrozenBenchTest {
    @Test
    void frozenSamplesHeapPerFrozenSessionInAChildGateway() {
        FrozenBench bench = new FrozenBench();
        assertEquals(0, new CommandLine(bench).execute("--clients", "5", "--keys", "600",
            "--set", "delivery.maxQueue=500", "--set", "limits.snapshotEntries=300",
            "--set", "limits.subscriptionsPerSession=10", "--rate", "500",
            "--duration", "6s", "--sample", "2s", "--heap", "256m"));
        // The figures are for the benchmark run; here: finite samples, at least two in 6 s sampled every 2 s
        // (each sample's full GCs take their own time).
        assertTrue(bench.perSessionKb.size() >= 2, "samples: " + bench.perSessionKb);
        assertTrue(bench.perSessionKb.stream().allMatch(Double::isFinite), "measurements were made: " + bench.perSessionKb);
    }
}
