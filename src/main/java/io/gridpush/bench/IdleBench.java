package io.gridpush.bench;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code idle} workload: holds {@code --clients} sessions, each subscribed to 10 keys, and reports
 * the gateway's heap and RSS per session after a full GC. The gateway runs as a child process of this
 * one (same jar, default configuration with the per-address limits lifted), so that its heap holds
 * nothing of the load clients; the full GC is requested with jcmd.
 */
@Command(name = "idle", mixinStandardHelpOptions = true, description = "Heap and RSS per idle session, after a full GC.")
public final class IdleBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000") int clients;
    @Option(names = "--keys-per-client", defaultValue = "10") int keysPerClient;
    @Option(names = "--transport", defaultValue = "websocket") String transport;
    @Option(names = "--heap", defaultValue = "1g", description = "-Xmx of the gateway process.") String heap;

    /** The last measurement, in KB of heap per session; read by tests. */
    double heapPerSessionKb = Double.NaN;

    @Override
    public Integer call() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process gateway = new ProcessBuilder(java.toString(), "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
            "io.gridpush.Main", "--http.port=0", "--demo.feeder=false", "--limits.sessionsPerAddress=-1",
            "--limits.handshakesPerSecondPerAddress=-1", "--limits.operationsPerSecond=-1")
            .redirectErrorStream(true).start();
        try {
            String url = awaitUrl(gateway);
            URI metrics = URI.create(url.replace("/cometd", "/metrics"));
            Transport warm = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
            // Warm up first (classes loaded, pools grown), so that the baseline holds what every run holds.
            try (LoadClients warmup = new LoadClients(50)) {
                for (int i = 0; i < 50; ++i) {
                    warmup.connect(url, warm).cache("default").watch("idle-warmup-" + i, event -> { });
                }
            }
            double baseHeap = heapAfterGc(gateway.pid(), metrics);
            double baseRss = rssMegabytes(gateway.pid());
            Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
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
                double heapNow = heapAfterGc(gateway.pid(), metrics);
                double rssNow = rssMegabytes(gateway.pid());
                double perSessionKb = (heapNow - baseHeap) / clients / 1024;
                heapPerSessionKb = perSessionKb;
                System.out.printf("RESULT system=gridpush bench=idle transport=%s N=%d subscriptions=%d heap_per_session_kb=%.1f " +
                        "rss_per_session_kb=%.1f server_heap_mb=%.0f server_rss_mb=%.0f%n",
                    transport.equals("long-polling") ? "longpoll" : "ws", clients, clients * keysPerClient, perSessionKb,
                    (rssNow - baseRss) * 1024 / clients, heapNow / 1024 / 1024, rssNow);
            }
            return 0;
        } finally {
            gateway.destroy();
            gateway.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static String awaitUrl(Process gateway) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        Pattern serving = Pattern.compile("Bayeux at (\\S+),");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            Matcher matcher = serving.matcher(line);
            if (matcher.find()) {
                Thread drain = new Thread(() -> reader.lines().forEach(l -> { }), "gateway-output");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
        }
        throw new IllegalStateException("the gateway process did not start");
    }

    /** Heap in use (bytes) right after a full GC of the gateway process. */
    private static double heapAfterGc(long pid, URI metrics) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (int i = 0; i < 2; ++i) {
            new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        }
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        double used = 0;
        Matcher matcher = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\",[^}]*\\} (\\S+)$").matcher(text);
        while (matcher.find()) {
            used += Double.parseDouble(matcher.group(1));
        }
        return used;
    }

    private static double rssMegabytes(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }
}
