package io.gridpush.bench;

import io.gridpush.testkit.FreezingProxy;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code frozen} workload: {@code --clients} sessions watch a whole cache through a proxy that stops
 * reading once they are subscribed, while a writer keeps putting to {@code --keys} random keys. Every
 * {@code --sample} it reports the gateway's heap after a full GC, per frozen session, and the largest
 * session backlog: with the backlog bound (delivery.maxQueue), conflation and resync, both stay flat however
 * long the writer writes. The gateway is a {@link ChildGateway}, so its heap holds nothing of the clients.
 */
@Command(name = "frozen", mixinStandardHelpOptions = true, description = "Heap per frozen session over time, while a writer keeps writing.")
public final class FrozenBench implements Callable<Integer> {
    private static final String PAD = "x".repeat(60);
    @Option(names = "--clients", defaultValue = "100", description = "Frozen sessions.") int clients;
    @Option(names = "--keys", defaultValue = "20000", description = "Distinct keys written (more than delivery.maxQueue exercises resync).") int keys;
    @Option(names = "--rate", defaultValue = "2000", description = "Offered puts per second.") int rate;
    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class) Duration duration;
    @Option(names = "--sample", defaultValue = "10s", converter = DurationConverter.class) Duration sample;
    @Option(names = "--transport", defaultValue = "websocket", description = "websocket or long-polling") String transport;
    @Option(names = "--heap", defaultValue = "2g", description = "-Xmx of the gateway process.") String heap;
    @Option(names = "--set", description = "A gateway setting, KEY=VALUE (repeatable), e.g. --set delivery.maxQueue=5000.")
    List<String> set = new ArrayList<>();

    /** The heap per frozen session (KB) at each sample; read by tests. */
    final List<Double> perSessionKb = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // Frozen clients send no /meta/connect, so the gateway would rightly sweep them after maxInterval;
        // here they must stay for the whole run.
        List<String> settings = new ArrayList<>(List.of("--bayeux.maxInterval=" + (duration.toSeconds() + 120) + "s"));
        set.forEach(setting -> settings.add("--" + setting));
        Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
        try (ChildGateway gateway = ChildGateway.start(heap, settings.toArray(String[]::new));
             FreezingProxy proxy = new FreezingProxy(URI.create(gateway.url()).getPort());
             LoadClients load = new LoadClients(clients);
             // The writer has its own client stack: frozen clients timing out must not starve its threads.
             LoadClients writing = new LoadClients(1)) {
            String proxied = proxy.cometdUrl();
            CountDownLatch subscribed = new CountDownLatch(clients);
            for (int s = 0; s < clients; ++s) {
                load.connect(proxied, chosen).cache("default").watchAll(event -> { }).ready().thenRun(subscribed::countDown);
            }
            if (!subscribed.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException(subscribed.getCount() + " subscriptions missing");
            }
            RemoteCache writer = writing.connect(gateway.url(), Transport.WEBSOCKET).cache("default");
            // Every key exists before the baseline, so that the cache's own growth is not counted per session.
            List<CompletableFuture<?>> filling = new ArrayList<>();
            for (int k = 0; k < keys; ++k) {
                filling.add(writer.put("frozen-" + k, Map.of("n", 0, "pad", PAD)));
                if (filling.size() == 500) {
                    CompletableFuture.allOf(filling.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    filling.clear();
                }
            }
            CompletableFuture.allOf(filling.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            proxy.freeze();
            double baseline = gateway.heapAfterGc();
            System.out.printf("%d %s sessions frozen; gateway heap %.1f MB after GC%n", clients, transport, baseline / 1024 / 1024);
            System.out.println("elapsed_s  puts  sessions  largest_backlog  heap_mb  heap_per_frozen_session_kb");

            LongAdder sent = new LongAdder();
            AtomicLong due = new AtomicLong();
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-writer"));
            long begin = System.nanoTime();
            long end = begin + duration.toNanos();
            pacer.scheduleAtFixedRate(() -> {
                long now = System.nanoTime();
                long owed = Math.min((long)((now - begin) / 1e9 * rate), (long)(duration.toSeconds() * (double)rate));
                while (due.get() < owed) {
                    due.incrementAndGet();
                    writer.put("frozen-" + ThreadLocalRandom.current().nextInt(keys), Map.of("n", due.get(), "pad", PAD));
                    sent.increment();
                }
            }, 0, 5, TimeUnit.MILLISECONDS);
            try {
                while (System.nanoTime() < end) {
                    Thread.sleep(Math.min(sample.toMillis(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                    double heapNow = gateway.heapAfterGc();
                    double kb = (heapNow - baseline) / clients / 1024;
                    perSessionKb.add(kb);
                    System.out.printf("%9.0f  %d  %.0f  %.0f  %.1f  %.1f%n", (System.nanoTime() - begin) / 1e9, sent.sum(),
                        gateway.metric("gridpush_sessions"), gateway.metric("gridpush_backlog_max"), heapNow / 1024 / 1024, kb);
                }
            } finally {
                pacer.shutdownNow();
            }
            double first = perSessionKb.get(0);
            double last = perSessionKb.get(perSessionKb.size() - 1);
            System.out.printf("RESULT system=gridpush bench=frozen transport=%s N=%d R=%d keys=%d puts=%d heap_per_frozen_session_kb_first=%.1f " +
                    "heap_per_frozen_session_kb_last=%.1f heap_per_frozen_session_kb_max=%.1f largest_backlog=%.0f%n",
                transport.equals("long-polling") ? "longpoll" : "ws", clients, rate, keys, sent.sum(), first, last,
                perSessionKb.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), gateway.metric("gridpush_backlog_max"));
            return 0;
        }
    }
}
