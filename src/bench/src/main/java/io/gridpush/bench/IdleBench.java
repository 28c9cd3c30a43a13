package io.gridpush.bench;

import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code idle} workload: holds {@code --clients} sessions, each subscribed to 10 keys, and reports
 * the gateway's heap and RSS per session after a full GC of a {@link ChildGateway}.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, description = "Heap and RSS per idle session, after a full GC.")
public final class IdleBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000") int clients;
    @Option(names = "--keys-per-client", defaultValue = "10") int keysPerClient;
    @Option(names = "--transport", defaultValue = "websocket") String transport;
    @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of the gateway process.") String heap;
    @Option(names = "--settle", defaultValue = "0s", converter = DurationConverter.class,
        description = "Wait this long with the sessions held, then print the RSS the gateway settled at by itself (before any forced GC).")
    Duration settle;
    @Option(names = "--jvm", description = "A further option of the gateway's JVM (repeatable), for example -XX:+UseSerialGC;"
        + " with -XX:NativeMemoryTracking=summary the growth of each memory area is printed too.") List<String> jvm = new ArrayList<>();

    /** The last measurement, in KB of heap per session; read by tests. */
    double heapPerSessionKb = Double.NaN;

    @Override
    public Integer call() throws Exception {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(jvm);
        try (ChildGateway gateway = ChildGateway.start(options)) {
            String url = gateway.url();
            Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
            // Warm up first (classes loaded and compiled, pools grown) with a tenth of the sessions, so that the
            // baseline holds what a running gateway holds whatever its sessions, and the figure only what they add.
            int warmups = Math.max(50, Math.min(clients / 10, 1000));
            try (LoadClients warmup = new LoadClients(warmups)) {
                for (int i = 0; i < warmups; ++i) {
                    RemoteCache cache = warmup.connect(url, chosen).cache("default");
                    for (int j = 0; j < keysPerClient; ++j) {
                        cache.watch("idle-" + ((i * keysPerClient + j) % 100), event -> { });
                    }
                }
            }
            double baseHeap = gateway.heapAfterGc();
            double baseRss = gateway.rssMegabytes();
            Map<String, Long> baseAreas = gateway.nativeMemoryKb();
            try (LoadClients load = new LoadClients(clients)) {
                CountDownLatch snapshots = new CountDownLatch(clients * keysPerClient);
                ExecutorService connectors = Executors.newFixedThreadPool(8);
                List<CompletableFuture<?>> connecting = new ArrayList<>();
                for (int s = 0; s < clients; ++s) {
                    int subscriber = s;
                    connecting.add(CompletableFuture.runAsync(() -> {
                        RemoteCache cache = load.connect(url, chosen).cache("default");
                        for (int j = 0; j < keysPerClient; ++j) {
                            cache.watch("idle-" + ((subscriber * keysPerClient + j) % 100), event -> snapshots.countDown());
                        }
                    }, connectors));
                }
                CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                connectors.shutdown();
                if (!snapshots.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException(snapshots.getCount() + " snapshots missing");
                }
                if (!settle.isZero()) {
                    Thread.sleep(settle.toMillis());
                    double settled = gateway.rssMegabytes();
                    System.out.printf("SETTLED after=%ds rss_per_session_kb=%.1f server_rss_mb=%.0f%n", settle.toSeconds(),
                        (settled - baseRss) * 1024 / clients, settled);
                }
                double heapNow = gateway.heapAfterGc();
                double rssNow = gateway.rssMegabytes();
                double perSessionKb = (heapNow - baseHeap) / clients / 1024;
                heapPerSessionKb = perSessionKb;
                System.out.printf("RESULT system=gridpush bench=idle transport=%s N=%d subscriptions=%d heap_per_session_kb=%.1f " +
                        "rss_per_session_kb=%.1f server_heap_mb=%.0f server_rss_mb=%.0f%n",
                    transport.equals("long-polling") ? "longpoll" : "ws", clients, clients * keysPerClient, perSessionKb,
                    (rssNow - baseRss) * 1024 / clients, heapNow / 1024 / 1024, rssNow);
                Map<String, Long> areas = gateway.nativeMemoryKb();
                areas.forEach((area, kb) -> {
                    long grown = kb - baseAreas.getOrDefault(area, 0L);
                    if (Math.abs(grown) * 10 >= clients) {
                        System.out.printf("AREA %s committed_per_session_kb=%.1f%n", area, (double) grown / clients);
                    }
                });
            }
            return 0;
        }
    }
}
