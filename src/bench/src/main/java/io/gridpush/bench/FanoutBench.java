package io.gridpush.bench;

import io.gridpush.testkit.FreezingProxy;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.util.ajax.JSON;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code fanout} workload: {@code --clients} subscribers each watch {@code --keys-per-client} of
 * {@code --keys} keys (client s takes keys (s*kpc + j) % keys), then one writer puts to random keys at a
 * fixed offered rate. Latency runs from the put call to receipt at each watcher (HdrHistogram);
 * snapshots are not counted; lost = expected deliveries - received.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, description = "Fan-out throughput and latency under a fixed offered write rate.")
public final class FanoutBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000") int clients;
    @Option(names = "--keys", defaultValue = "100") int keys;
    @Option(names = "--keys-per-client", defaultValue = "10") int keysPerClient;
    @Option(names = "--rate", defaultValue = "1000", description = "Offered puts per second.") int rate;
    @Option(names = "--duration", defaultValue = "20s", converter = DurationConverter.class) Duration duration;
    @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class) Duration warmup;
    @Option(names = "--transport", defaultValue = "websocket", description = "websocket or long-polling") String transport;
    @Option(names = "--url", description = "Bayeux URL of a running gateway; default: one in-process on a free port. Repeatable (nodes of one "
        + "cluster): watchers are spread over them in turn, and each gets a writer with its share of --rate.")
    List<String> urls = new ArrayList<>();
    @Option(names = "--json", description = "Also write the full result to this file.") Path json;
    @Option(names = "--max", description = "Step the rate up until p99 > 200 ms or anything is lost; report the highest rate that held.") boolean max;
    @Option(names = "--cache", defaultValue = "default") String cache;
    @Option(names = "--frozen-percent", defaultValue = "0",
        description = "This share of the subscribers connects through a proxy that stops reading once they are subscribed (frozen consumers).")
    int frozenPercent;
    @Option(names = "--baseline", description = "Plain CometD broadcast instead of puts: the writer publishes each payload over the "
        + "network and the in-process gateway relays it onto the key channel (no cache, no listener, no lanes), to compare the cache path with.")
    boolean baseline;
    @Option(names = "--set", description = "A setting of the in-process gateway, KEY=VALUE (repeatable), e.g. --set delivery.flushThreads=4.")
    Map<String, String> set = new LinkedHashMap<>();

    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final LongAdder received = new LongAdder();
    /** Deliveries that arrived before the measured window closed: the throughput (the rest arrived while draining). */
    private final LongAdder receivedInWindow = new LongAdder();
    private volatile long windowEnd;
    private final AtomicLong measuring = new AtomicLong(-1);
    private int[] watchersPerKey;
    private FreezingProxy freezer;
    private PlainBroadcast plain;
    private GridpushClient writerClient;
    /** Where watchers connect and writers write: --url, or the in-process gateway. */
    private List<String> endpoints;
    /** CPU seconds used so far by each node's process, when a caller measures them (bench cluster); else null. */
    private java.util.function.Supplier<double[]> nodeCpu;
    /** The in-process gateway's backlog trims by the end of the last run, for the FROZEN line. */
    private String trims = "";
    private Map<String, Object> lastResult;

    @Override
    public Integer call() throws Exception {
        Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
        // Frozen clients get their own client stack. CometD's Jakarta WebSocket client connects synchronously
        // on its scheduler: a frozen client reconnecting through the frozen proxy blocks a scheduler thread for
        // the whole connect timeout, and with a shared scheduler the healthy clients' /meta/connect heartbeats
        // then wait behind it until the gateway expires their sessions (seen as every healthy session
        // removed at once about a minute in). The load tool must measure the gateway, not that.
        try (BenchTarget target = BenchTarget.of(urls.isEmpty() ? null : urls.get(0), set); LoadClients load = new LoadClients(clients + urls.size() + 1);
             LoadClients frozenLoad = new LoadClients(Math.max(1, clients * frozenPercent / 100));
             AutoCloseable closeFreezer = () -> {
                 if (freezer != null) {
                     freezer.close();
                 }
             }) {
            endpoints = urls.isEmpty() ? List.of(target.url()) : urls;
            if (frozenPercent > 0) {
                freezer = new FreezingProxy(java.net.URI.create(target.url()).getPort());
            }
            connectWatchers(target, load, frozenLoad, chosen);
            if (freezer != null) {
                freezer.freeze();
            }
            List<RemoteCache> writers = new ArrayList<>();
            for (String endpoint : endpoints) {
                writerClient = load.connect(endpoint, Transport.WEBSOCKET);
                writers.add(writerClient.cache(this.cache));
            }
            plain = baseline ? target.plainBroadcast() : null;
            if (!max) {
                Map<String, Object> result = run(target, load, writers, rate);
                report(result);
                return 0;
            }
            Map<String, Object> best = null;
            for (int step = rate; step <= 1_000_000; step = (int)(step * 1.5)) {
                Map<String, Object> result = run(target, load, writers, step);
                boolean held = ((Number)result.get("lost")).longValue() == 0 && ((Number)result.get("p99_ms")).doubleValue() <= 200;
                System.out.printf("step R=%d held=%s p99_ms=%s lost=%s%n", step, held, result.get("p99_ms"), result.get("lost"));
                if (!held) {
                    break;
                }
                best = result;
            }
            if (best == null) {
                System.out.println("RESULT no rate held (the starting --rate already failed)");
                return 1;
            }
            report(best);
            return 0;
        }
    }

    private void connectWatchers(BenchTarget target, LoadClients load, LoadClients frozenLoad, Transport chosen) throws Exception {
        watchersPerKey = new int[keys];
        CountDownLatch snapshots = new CountDownLatch(clients * keysPerClient);
        ExecutorService connectors = Executors.newFixedThreadPool(8);
        List<CompletableFuture<?>> connecting = new ArrayList<>();
        long start = System.nanoTime();
        int frozen = clients * frozenPercent / 100;
        for (int s = 0; s < clients; ++s) {
            int subscriber = s;
            // Subscribers are spread so that every key has frozen and healthy watchers; only healthy ones count.
            boolean freezes = frozen > 0 && s % Math.max(1, clients / frozen) == 0 && s / Math.max(1, clients / frozen) < frozen;
            for (int j = 0; j < keysPerClient && !freezes; ++j) {
                ++watchersPerKey[(subscriber * keysPerClient + j) % keys];
            }
            String endpoint = freezes ? freezer.cometdUrl() : endpoints.get(s % endpoints.size());
            connecting.add(CompletableFuture.runAsync(() -> {
                GridpushClient client = (freezes ? frozenLoad : load).connect(endpoint, chosen);
                RemoteCache remote = client.cache(cache);
                for (int j = 0; j < keysPerClient; ++j) {
                    remote.watch(key((subscriber * keysPerClient + j) % keys), freezes
                        ? event -> { if (event.type() == EventType.SNAPSHOT) { snapshots.countDown(); } }
                        : event -> onEvent(event, snapshots));
                }
            }, connectors));
        }
        CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        connectors.shutdown();
        if (!snapshots.await(Math.max(60, clients / 10), TimeUnit.SECONDS)) {
            throw new IllegalStateException("not every snapshot arrived: " + snapshots.getCount() + " missing");
        }
        System.out.printf("connected %d %s clients, %d subscriptions, in %.1f s%n", load.size() + frozenLoad.size(), transport,
            clients * keysPerClient, (System.nanoTime() - start) / 1e9);
    }

    /** Threads: CometD client threads. */
    private void onEvent(CacheEvent event, CountDownLatch snapshots) {
        if (event.type() == EventType.SNAPSHOT) {
            snapshots.countDown();
            return;
        }
        if (event.value() instanceof Map<?, ?> payload && payload.get("t") instanceof Number sent && payload.get("r") instanceof Number round
            && round.longValue() == measuring.get()) {
            long now = System.nanoTime();
            recorder.recordValue(Math.max(0, now - sent.longValue()));
            received.increment();
            if (now < windowEnd) {
                receivedInWindow.increment();
            }
        }
    }

    private Map<String, Object> run(BenchTarget target, LoadClients load, List<RemoteCache> writers, int offered) throws Exception {
        long round = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        String pad = "x".repeat(40);
        LongAdder sentMeasured = new LongAdder();
        LongAdder expected = new LongAdder();
        LongAdder sent = new LongAdder();
        LongAdder failed = new LongAdder();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-writer"));
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(5);
        long begin = System.nanoTime();
        long measureFrom = begin + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        windowEnd = measureTo;
        AtomicLong due = new AtomicLong();
        writer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long owed = owed(now - begin, offered);
            boolean measured = now >= measureFrom && now < measureTo;
            measuring.set(now >= measureFrom ? round : -1);
            while (due.get() < owed && now < measureTo) {
                due.incrementAndGet();
                int k = ThreadLocalRandom.current().nextInt(keys);
                Map<String, Object> payload = new LinkedHashMap<>();
                payload.put("t", System.nanoTime());
                payload.put("r", measured ? round : 0);
                payload.put("pad", pad);
                if (measured) {
                    sentMeasured.increment();
                    expected.add(watchersPerKey[k]);
                }
                sent.increment();
                if (plain != null) {
                    plain.publish(writerClient, this.cache, key(k), payload);
                    continue;
                }
                // The writers take turns: each node of a cluster gets its share of the rate.
                writers.get((int)(due.get() % writers.size())).put(key(k), payload).whenComplete((r, x) -> {
                    if (x != null) {
                        failed.increment();
                    }
                });
            }
        }, 0, tickNanos, TimeUnit.NANOSECONDS);

        Map<Long, Long> cpuAtStart = null;
        double[] nodeCpuAtStart = null;
        Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        recorder.reset();
        received.reset();
        receivedInWindow.reset();
        long last = System.nanoTime();
        long lastReceived = 0;
        long largestBacklog = 0;
        while (System.nanoTime() < measureTo) {
            Thread.sleep(1000);
            long now = System.nanoTime();
            largestBacklog = Math.max(largestBacklog, target.largestBacklog());
            if (cpuAtStart == null && now >= measureFrom) {
                cpuAtStart = target.serverCpu();
                nodeCpuAtStart = nodeCpu == null ? null : nodeCpu.get();
            }
            Histogram interval = recorder.getIntervalHistogram();
            total.add(interval);
            long got = received.sum();
            System.out.printf("[%4.0fs] healthy=%d sent=%d delivered/s=%.0f p99_ms=%.2f (last second: p99_ms=%.2f)%n", (now - begin) / 1e9,
                load.size() - 1, sent.sum(), (got - lastReceived) / ((now - last) / 1e9), total.getValueAtPercentile(99) / 1e6,
                interval.getValueAtPercentile(99) / 1e6);
            last = now;
            lastReceived = got;
        }
        trims = target.trims();
        double[] nodeCpuUsed = nodeCpu == null || nodeCpuAtStart == null ? null : nodeCpu.get();
        if (nodeCpuUsed != null) {
            for (int n = 0; n < nodeCpuUsed.length; ++n) {
                nodeCpuUsed[n] = round2(nodeCpuUsed[n] - nodeCpuAtStart[n]);
            }
        }
        writer.shutdown();
        writer.awaitTermination(10, TimeUnit.SECONDS);
        // Let deliveries of the last writes arrive (bounded).
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.sum() < expected.sum() && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
        }
        total.add(recorder.getIntervalHistogram());
        double cpu = cpuAtStart == null ? -1 : target.cpuSecondsBetween(cpuAtStart, target.serverCpu());
        measuring.set(-1);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("system", baseline ? "cometd-broadcast" : "gridpush");
        result.put("transport", transport.equals("long-polling") ? "longpoll" : "ws");
        result.put("N", clients);
        result.put("R", offered);
        // Only what arrived within the window counts as throughput: a system that falls behind would
        // otherwise be credited with the backlog it delivers while draining (it still counts as not lost).
        result.put("delivered_per_s", Math.round(receivedInWindow.sum() / (duration.toNanos() / 1e9)));
        result.put("p50_ms", round2(total.getValueAtPercentile(50) / 1e6));
        result.put("p99_ms", round2(total.getValueAtPercentile(99) / 1e6));
        result.put("max_ms", round2(total.getMaxValue() / 1e6));
        result.put("lost", expected.sum() - received.sum());
        result.put("server_cpu_s", target.inProcess() ? round2(cpu) : -1);
        result.put("server_rss_mb", target.inProcess() ? Math.round(target.rssMegabytes()) : -1);
        result.put("sent", sentMeasured.sum());
        result.put("expected", expected.sum());
        result.put("received", received.sum());
        result.put("received_in_window", receivedInWindow.sum());
        result.put("failed_puts", failed.sum());
        result.put("frozen_percent", frozenPercent);
        result.put("frozen_backlog_max", largestBacklog);
        if (nodeCpuUsed != null) {
            result.put("node_cpu_s", nodeCpuUsed);
        }
        result.put("keys", keys);
        result.put("keys_per_client", keysPerClient);
        result.put("duration_s", duration.toSeconds());
        result.put("warmup_s", warmup.toSeconds());
        return result;
    }

    /**
     * Puts due after {@code elapsed} nanoseconds: during the warm-up the offered rate ramps up linearly from
     * zero, so that a cold JVM (JIT, pools, heap sizing) is not hit by the full rate at once and does not
     * carry a backlog into the measured window; from then on, exactly {@code offered} per second.
     */
    private long owed(long elapsed, int offered) {
        double t = elapsed / 1e9;
        double w = warmup.toNanos() / 1e9;
        return (long)(t < w ? offered * t * t / (2 * w) : offered * (w / 2 + (t - w)));
    }

    private void report(Map<String, Object> result) throws Exception {
        lastResult = result;
        System.out.printf("RESULT system=%s transport=%s N=%s R=%s delivered_per_s=%s p50_ms=%s p99_ms=%s max_ms=%s lost=%s failed_puts=%s "
            + "server_cpu_s=%s server_rss_mb=%s%n",
            result.get("system"), result.get("transport"), result.get("N"), result.get("R"), result.get("delivered_per_s"), result.get("p50_ms"),
            result.get("p99_ms"), result.get("max_ms"), result.get("lost"), result.get("failed_puts"), result.get("server_cpu_s"),
            result.get("server_rss_mb"));
        if (frozenPercent > 0) {
            System.out.printf("FROZEN percent=%d largest_session_backlog_messages=%s%s, sampled each second (healthy clients only in the RESULT line)%n",
                frozenPercent, result.get("frozen_backlog_max"), trims);
        }
        if (json != null) {
            Files.writeString(json, new JSON().toJSON(result));
        }
    }

    /** For bench cluster: the nodes to spread over, and how to read their CPU time (seconds, one per node). */
    FanoutBench across(List<String> nodes, java.util.function.Supplier<double[]> cpu) {
        this.urls = new ArrayList<>(nodes);
        this.nodeCpu = cpu;
        return this;
    }

    /** The last result, for a caller that reports it its own way (bench cluster). */
    Map<String, Object> lastResult() {
        return lastResult;
    }

    private static String key(int k) {
        return "fanout-" + k;
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
