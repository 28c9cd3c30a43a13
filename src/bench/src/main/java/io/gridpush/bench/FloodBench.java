package io.gridpush.bench;

import io.gridpush.protocol.ChannelNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cometd.bayeux.Channel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hostile WebSocket clients against a gateway in a child JVM with the shipped limits: each client, over
 * and over, opens a WebSocket, handshakes, sends batches of messages the gateway must refuse or bound
 * (publishes on {@code /cache/**}, subscribe/unsubscribe of a wildcard, operations past the rate, a
 * forged clientId) and then a malformed frame, which closes the connection. Prints the gateway's heap (after
 * a full GC) and RSS before, at the peak of the flood and after it settled: what the floods of the hostile
 * input issue cost and whether it comes back. Bounded by {@code --rounds} per client.
 */
@Command(name = "flood", mixinStandardHelpOptions = true, description = "Memory of a gateway under floods of refused WebSocket messages.")
public final class FloodBench implements Callable<Integer> {
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":\"([^\"]+)\"");

    @Option(names = "--clients", defaultValue = "20") int clients;
    @Option(names = "--rounds", defaultValue = "50", description = "Connections each client opens, one after the other.") int rounds;
    @Option(names = "--batches", defaultValue = "20", description = "Batches sent per connection before the malformed frame.") int batches;
    @Option(names = "--batch", defaultValue = "50", description = "Messages per batch.") int batch;
    @Option(names = "--heap", defaultValue = "512m", description = "-Xmx of the gateway.") String heap;
    @Option(names = "--jvm", description = "A JVM option of the gateway (repeatable), e.g. --jvm=-XX:+UseParallelGC to compare collectors.")
    List<String> jvm = new ArrayList<>();
    @Option(names = "--settle", defaultValue = "30s", converter = DurationConverter.class) Duration settle;

    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx" + heap));
        options.addAll(jvm);
        return options;
    }

    @Override
    public Integer call() throws Exception {
        // The shipped per-address limits (the child's defaults lift them for the other benchmarks).
        try (ChildGateway gateway = ChildGateway.start(jvmOptions(), "--limits.sessionsPerAddress=10000", "--limits.handshakesPerSecondPerAddress=200",
                "--limits.operationsPerSecond=500")) {
            // Fill the cache the wildcard subscriptions snapshot, so each one costs what the issue measured.
            fill(gateway.url());
            double heapBefore = gateway.heapAfterGc() / 1e6;
            double rssBefore = gateway.rssMegabytes();
            System.out.printf("before: heap_mb=%.1f rss_mb=%.1f%n", heapBefore, rssBefore);
            AtomicLong sent = new AtomicLong();
            AtomicLong connections = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            HttpClient http = HttpClient.newHttpClient();
            URI ws = URI.create(gateway.url().replaceFirst("^http", "ws"));
            long start = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; ++c) {
                running.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; ++round) {
                        flood(http, ws, sent);
                        connections.incrementAndGet();
                    }
                    return null;
                }));
            }
            double rssPeak = rssBefore;
            while (running.stream().anyMatch(f -> !f.isDone())) {
                TimeUnit.SECONDS.sleep(1);
                rssPeak = Math.max(rssPeak, gateway.rssMegabytes());
                System.out.printf("[%4.0fs] connections=%d messages=%d rss_mb=%.1f%n", (System.nanoTime() - start) / 1e9, connections.get(),
                    sent.get(), gateway.rssMegabytes());
            }
            for (Future<?> f : running) {
                f.get();
            }
            pool.shutdown();
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            double heapAfterFlood = gateway.heapAfterGc() / 1e6;
            double rssAfterFlood = gateway.rssMegabytes();
            TimeUnit.MILLISECONDS.sleep(settle.toMillis());
            double heapSettled = gateway.heapAfterGc() / 1e6;
            double rssSettled = gateway.rssMegabytes();
            System.out.printf("RESULT system=gridpush bench=flood clients=%d connections=%d messages=%d flood_s=%.1f messages_per_s=%.0f " +
                    "heap_mb_before=%.1f heap_mb_after=%.1f heap_mb_settled=%.1f rss_mb_before=%.1f rss_mb_peak=%.1f rss_mb_after=%.1f rss_mb_settled=%.1f%n",
                clients, connections.get(), sent.get(), floodSeconds, sent.get() / floodSeconds, heapBefore, heapAfterFlood, heapSettled,
                rssBefore, rssPeak, rssAfterFlood, rssSettled);
        }
        return 0;
    }

    private static void fill(String url) throws Exception {
        try (io.gridpush.client.GridpushClient client = io.gridpush.client.GridpushClient.connect(url, io.gridpush.client.GridpushClient.Options.defaults())) {
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int i = 0; i < 2000; ++i) {
                puts.add(client.cache("default").put("flood-" + i, "value " + i));
                if (puts.size() == 100) {
                    // Under the shipped 500 operations per second of one session.
                    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    puts.clear();
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
    }

    /** One connection: handshake, {@code batches} hostile batches, then a malformed frame (the gateway closes the connection). */
    private void flood(HttpClient http, URI ws, AtomicLong sent) throws Exception {
        CompletableFuture<String> handshaken = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    Matcher id = CLIENT_ID.matcher(text);
                    if (id.find()) {
                        handshaken.complete(id.group(1));
                    }
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                handshaken.completeExceptionally(error);
                closed.complete(null);
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            String handshake = "[{\"id\":\"1\",\"channel\":\"" + Channel.META_HANDSHAKE
                + "\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"]}]";
            socket.sendText(handshake, true)
                .get(10, TimeUnit.SECONDS);
            String clientId = handshaken.get(10, TimeUnit.SECONDS);
            for (int b = 0; b < batches && !closed.isDone(); ++b) {
                socket.sendText(batch(clientId, b), true).get(10, TimeUnit.SECONDS);
                sent.addAndGet(batch);
            }
            if (!closed.isDone()) {
                socket.sendText("[{\"channel\":", true).get(10, TimeUnit.SECONDS);
                sent.incrementAndGet();
            }
            closed.get(10, TimeUnit.SECONDS);
        } catch (Exception x) {
            // Refused (rate, budget) or closed by the gateway mid-batch: that is the point; the next round opens again.
        } finally {
            socket.abort();
        }
    }

    private String batch(String clientId, int b) {
        StringBuilder json = new StringBuilder("[");
        for (int m = 0; m < batch; ++m) {
            if (m > 0) {
                json.append(',');
            }
            String id = "\"id\":\"" + b + "-" + m + "\",\"clientId\":\"" + (m % 10 == 9 ? "forged" : clientId) + "\"";
            // Channels from the contract and CometD, not spelt here (OneHomeTest).
            switch (m % 5) {
                case 0 -> json.append(message(id, ChannelNames.keyChannel("default", "flood-1"), "\"data\":{\"value\":\"forged\"}"));
                case 1 -> json.append(message(id, Channel.META_SUBSCRIBE, "\"subscription\":\"" + ChannelNames.cacheChannel("default") + "\""));
                case 2 -> json.append(message(id, Channel.META_UNSUBSCRIBE, "\"subscription\":\"" + ChannelNames.cacheChannel("default") + "\""));
                case 3 -> json.append(message(id, operation("get"), "\"data\":{\"cache\":\"default\",\"key\":\"flood-" + m + "\"}"));
                default -> json.append(message(id, operation("entries"), "\"data\":{\"cache\":\"default\",\"limit\":1000}"));
            }
        }
        return json.append(']').toString();
    }

    private static String message(String id, String channel, String fields) {
        return "{" + id + ",\"channel\":\"" + channel + "\"," + fields + "}";
    }

    private static String operation(String op) {
        return ChannelNames.SERVICE_ROOT + ChannelNames.operationTarget(op);
    }
}
