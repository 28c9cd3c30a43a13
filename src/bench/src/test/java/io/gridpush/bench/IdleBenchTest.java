package io.gridpush.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The idle workload runs end to end against its child gateway process and measures a per-session heap cost. */
class IdleBenchTest {
    @Test
    void idleMeasuresHeapPerSessionInAChildGateway() {
        IdleBench bench = new IdleBench();
        assertEquals(0, new CommandLine(bench).execute("--clients", "100", "--heap", "256m"));
        // The figure itself is for the benchmark run (thousands of sessions); with 100 GC noise can dominate.
        assertTrue(Double.isFinite(bench.heapPerSessionKb), "a measurement was made: " + bench.heapPerSessionKb);
    }
}
