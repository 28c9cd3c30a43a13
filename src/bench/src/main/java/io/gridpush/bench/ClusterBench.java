package io.gridpush.bench;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code cluster} workload: {@code --nodes} gateways in child JVMs form one Infinispan cluster over
 * JGroups on loopback, then the {@code fanout} workload runs across them (watchers spread over the nodes,
 * one writer per node with its share of the rate). It reports each node's CPU time over the measured window
 * and the CPU per delivery, to compare with {@code --nodes 1}: with a clustered listener every node handles
 * every change of the cluster, whichever node it was written on.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Fan-out across a cluster of gateway processes, with CPU per node.")
public final class ClusterBench implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "3") int nodes;
    @Option(names = "--clients", defaultValue = "150") int clients;
    @Option(names = "--keys", defaultValue = "100") int keys;
    @Option(names = "--keys-per-client", defaultValue = "10") int keysPerClient;
    @Option(names = "--rate", defaultValue = "300", description = "Offered puts per second, in total.") int rate;
    @Option(names = "--duration", defaultValue = "30s", converter = DurationConverter.class) Duration duration;
    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class) Duration warmup;
    @Option(names = "--heap", defaultValue = "512m") String heap;
    @Option(names = "--jvm", description = "A JVM option of every node (repeatable).") List<String> jvm = new ArrayList<>();
    @Option(names = "--json", description = "Also write the full result (fanout's, with node_cpu_s) to this file.") java.nio.file.Path json;

    @Override
    public Integer call() throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(jvm);
        // Its own cluster name, so that it never joins another cluster on this host (a test's, or a gateway's).
        String cluster = "bench-" + UUID.randomUUID();
        List<ChildGateway> started = new ArrayList<>();
        try {
            long formation = System.nanoTime();
            for (int n = 0; n < nodes; ++n) {
                started.add(ChildGateway.start(options, "--infinispan.config=embedded:infinispan-cluster.xml", "--cluster.name=" + cluster,
                    "--cluster.portRange=" + Math.max(10, nodes)));
            }
            awaitCluster(started);
            System.out.printf("cluster of %d formed in %.1f s%n", nodes, (System.nanoTime() - formation) / 1e9);
            List<String> urls = started.stream().map(ChildGateway::url).toList();
            FanoutBench fanout = new FanoutBench().across(urls, () -> started.stream().mapToDouble(ChildGateway::cpuSeconds).toArray());
            fanout.clients = clients;
            fanout.keys = keys;
            fanout.keysPerClient = keysPerClient;
            fanout.rate = rate;
            fanout.duration = duration;
            fanout.warmup = warmup;
            fanout.transport = "websocket";
            fanout.cache = "default";
            fanout.json = json;
            int exit = fanout.call();
            report(fanout.lastResult());
            return exit;
        } finally {
            for (ChildGateway node : started) {
                node.close();
            }
        }
    }

    private void report(Map<String, Object> result) {
        double[] cpu = (double[])result.get("node_cpu_s");
        long delivered = ((Number)result.get("received_in_window")).longValue();
        double total = java.util.Arrays.stream(cpu).sum();
        String perNode = java.util.Arrays.stream(cpu).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        System.out.printf("CLUSTER nodes=%d puts_per_s=%d deliveries=%d node_cpu_s=%s cluster_cpu_s=%.2f cpu_us_per_delivery=%.1f "
                + "cpu_us_per_put_per_node=%.1f p99_ms=%s lost=%s%n",
            nodes, rate, delivered, perNode, total, delivered == 0 ? Double.NaN : total * 1e6 / delivered,
            total * 1e6 / nodes / Math.max(1, ((Number)result.get("sent")).longValue()), result.get("p99_ms"), result.get("lost"));
    }

    /**
     * Bounded: every node answers /health 200 (it holds its share), and a write on the first node reaches a
     * watcher on every node, which proves the cluster formed and its listener path works.
     */
    private static void awaitCluster(List<ChildGateway> started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (ChildGateway node : started) {
            while (node.health() != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a node never became healthy: " + node.url());
                }
                Thread.sleep(200);
            }
        }
        try (LoadClients probes = new LoadClients(started.size() + 1)) {
            String key = "cluster-probe-" + UUID.randomUUID();
            List<CountDownLatch> seen = new ArrayList<>();
            for (ChildGateway node : started) {
                CountDownLatch latch = new CountDownLatch(1);
                seen.add(latch);
                GridpushClient client = probes.connect(node.url(), Transport.WEBSOCKET);
                client.cache("default").watch(key, event -> {
                    if (event.value() != null) {
                        latch.countDown();
                    }
                });
            }
            RemoteCache writer = probes.connect(started.get(0).url(), Transport.WEBSOCKET).cache("default");
            // Written again every 2 s: a node that joined late may have missed the first.
            for (int attempt = 0; seen.stream().anyMatch(latch -> latch.getCount() > 0); ++attempt) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a write on the first node did not reach every node: "
                        + seen.stream().filter(latch -> latch.getCount() > 0).count() + " missing");
                }
                writer.put(key, attempt);
                for (CountDownLatch latch : seen) {
                    latch.await(2, TimeUnit.SECONDS);
                }
            }
        }
    }
}
