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

    /**
     * A long-polling session's connection keeps no header cache: Jetty's, built on a connection's second
     * request, held about 100 KB per connection (112 KB of heap per idle session); without it a session
     * costs about 12 KB. The bound leaves room for the noise of a small run.
     */
    @Test
    void anIdleLongPollingSessionCostsTensOfKilobytesNotHundreds() {
        IdleBench bench = new IdleBench();
        assertEquals(0, new CommandLine(bench).execute("--clients", "200", "--transport", "long-polling", "--heap", "256m"));
        assertTrue(bench.heapPerSessionKb < 50, "heap per idle long-polling session: " + bench.heapPerSessionKb + " KB");
    }
}
