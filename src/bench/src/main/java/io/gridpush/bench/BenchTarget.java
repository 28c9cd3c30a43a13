package io.gridpush.bench;

import io.gridpush.config.ConfigLoader;
import io.gridpush.scope.AuditSink;
import io.gridpush.server.Gateway;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The gateway a benchmark runs against: one started in this process on a free port (the default),
 * or a running one at {@code --url}. For an in-process gateway it also measures the server's CPU time
 * (the threads the gateway owns: Jetty's, the event lanes, CometD's scheduler) and the process RSS.
 */
final class BenchTarget implements AutoCloseable {
    private final Gateway gateway;
    private final String url;

    private BenchTarget(Gateway gateway, String url) {
        this.gateway = gateway;
        this.url = url;
    }

    static BenchTarget of(String url, Map<String, String> overrides) throws Exception {
        if (url != null) {
            if (!overrides.isEmpty()) {
                throw new IllegalArgumentException("--set configures the in-process gateway; a gateway at --url keeps its own configuration");
            }
            return new BenchTarget(null, url);
        }
        Map<String, String> settings = new java.util.HashMap<>(overrides);
        settings.putIfAbsent("http.port", "0");
        settings.putIfAbsent("demo.feeder", "false");
        settings.putIfAbsent("http.drain", "0s");
        // One address opens every load client and one writer outruns a browser's rate: lift the per-address
        // and per-session limits of the in-process gateway (a gateway at --url keeps its own configuration).
        settings.putIfAbsent("limits.operationsPerSecond", "-1");
        settings.putIfAbsent("limits.sessionsPerAddress", "-1");
        settings.putIfAbsent("limits.handshakesPerSecondPerAddress", "-1");
        // Audit entries are still made for every write, then dropped instead of logged: a line per put on
        // this console would bury the progress lines (a gateway at --url logs as it is configured to).
        AuditSink discard = entry -> { };
        Gateway gateway = Gateway.create(ConfigLoader.load(null, settings), binder -> binder.bind(AuditSink.class).toInstance(discard));
        gateway.start();
        return new BenchTarget(gateway, gateway.cometdUrl());
    }

    String url() {
        return url;
    }

    /** The in-process gateway, for benchmarks that fill its caches through the Java API. */
    Gateway gateway() {
        if (gateway == null) {
            throw new IllegalStateException("this benchmark needs the in-process gateway (no --url)");
        }
        return gateway;
    }

    /** Plain CometD broadcast relayed by the in-process gateway, for {@code fanout --baseline}. */
    PlainBroadcast plainBroadcast() {
        if (gateway == null) {
            throw new IllegalStateException("--baseline needs the in-process gateway (no --url)");
        }
        return new PlainBroadcast(gateway.injector().getInstance(org.cometd.server.BayeuxServerImpl.class));
    }

    boolean inProcess() {
        return gateway != null;
    }

    /**
     * CPU nanoseconds used so far by each of the gateway's own threads, by thread id; empty when the
     * gateway is elsewhere. Compare two of these with {@link #cpuSecondsBetween}.
     */
    Map<Long, Long> serverCpu() {
        Map<Long, Long> cpu = new java.util.HashMap<>();
        if (gateway == null) {
            return cpu;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && isServerThread(info.getThreadName())) {
                cpu.put(info.getThreadId(), Math.max(0, threads.getThreadCpuTime(info.getThreadId())));
            }
        }
        return cpu;
    }

    /** CPU seconds spent between two {@link #serverCpu} readings, counting threads that started in between from zero. */
    double cpuSecondsBetween(Map<Long, Long> before, Map<Long, Long> after) {
        if (gateway == null) {
            return -1;
        }
        long nanos = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            nanos += Math.max(0, thread.getValue() - before.getOrDefault(thread.getKey(), 0L));
        }
        return nanos / 1e9;
    }

    /** Resident memory of this process in MiB (gateway and load clients together), or -1 when the gateway is elsewhere. */
    double rssMegabytes() {
        if (gateway == null) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (Exception x) {
            return -1;
        }
        return -1;
    }

    /** The largest backlog (messages queued or kept for acknowledgement) of any session, or -1 when the gateway is elsewhere. */
    long largestBacklog() {
        if (gateway == null) {
            return -1;
        }
        long largest = 0;
        for (org.cometd.bayeux.server.ServerSession session : gateway.injector().getInstance(org.cometd.server.BayeuxServerImpl.class).getSessions()) {
            largest = Math.max(largest, io.gridpush.bayeux.BacklogGuard.backlogOf(session));
        }
        return largest;
    }

    /** "trims=N trim_ms_mean=M trim_ms_max=X" of the in-process gateway's backlog trims so far, or "" when it is elsewhere. */
    String trims() {
        if (gateway == null) {
            return "";
        }
        io.micrometer.core.instrument.Timer trims = gateway.injector().getInstance(io.gridpush.metrics.GatewayMetrics.class).trims();
        return String.format(" trims=%d trim_ms_mean=%.2f trim_ms_max=%.2f", trims.count(),
            trims.mean(java.util.concurrent.TimeUnit.MILLISECONDS), trims.max(java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    private static boolean isServerThread(String name) {
        return name.startsWith("gridpush-") || name.startsWith("BayeuxServerImpl") || name.contains("Scheduler") && name.contains("Bayeux");
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }
}
