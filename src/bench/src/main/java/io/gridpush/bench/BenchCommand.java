package io.gridpush.bench;

import picocli.CommandLine.Command;

/** {@code gridpush bench}: load tools that measure a gateway. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {RoundTripBench.class, FanoutBench.class, IdleBench.class, FrozenBench.class,
    ClusterBench.class, EntriesBench.class, FloodBench.class},
    description = "Measures a gridpush gateway (in-process unless --url is given).")
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("choose a workload: roundtrip, fanout, idle, frozen, cluster, entries, flood");
    }
}
