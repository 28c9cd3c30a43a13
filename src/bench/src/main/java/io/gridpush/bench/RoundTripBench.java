package io.gridpush.bench;

import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One client puts a key it watches and waits for the change event, again and again: the cost of a
 * {@code put} to event round trip through the whole gateway (remote call, Infinispan write, listener
 * hand-off, publish, delivery). Prints the median and tail in milliseconds.
 */
@Command(name = "roundtrip", mixinStandardHelpOptions = true, description = "put -> event round trips, one client.")
public final class RoundTripBench implements Callable<Integer> {
    @Option(names = "--transport", defaultValue = "websocket", description = "websocket or long-polling")
    String transport;

    @Option(names = "--count", defaultValue = "10000", description = "Measured round trips.")
    int count;

    @Option(names = "--warmup", defaultValue = "2000", description = "Round trips before measuring.")
    int warmup;

    @Option(names = "--url", description = "Bayeux URL of a running gateway; default: start one in-process on a free port.")
    String url;

    @Override
    public Integer call() throws Exception {
        try (BenchTarget gateway = BenchTarget.of(url, Map.of())) {
            return run(gateway.url());
        }
    }

    private int run(String target) throws Exception {
        Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
        try (GridpushClient client = GridpushClient.connect(target, GridpushClient.Options.defaults().withTransports(chosen))) {
            RemoteCache cache = client.cache("default");
            String key = "roundtrip-" + System.nanoTime();
            // Never block in the listener: the CometD client may run it on the thread that sent the put
            // (Jetty's HttpClient can process a fast response inline), which is this one.
            LinkedBlockingQueue<Long> events = new LinkedBlockingQueue<>();
            client.cache("default").watch(key, event -> {
                if (event.type() == EventType.CREATED || event.type() == EventType.MODIFIED) {
                    events.add(System.nanoTime());
                }
            }).ready().get(10, TimeUnit.SECONDS);
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int i = 0; i < warmup + count; ++i) {
                long start = System.nanoTime();
                cache.put(key, Map.of("seq", i, "sentNanos", start));
                Long received = events.poll(10, TimeUnit.SECONDS);
                if (received == null) {
                    System.err.println("no event for round trip " + i + " within 10 s");
                    return 1;
                }
                if (i >= warmup) {
                    histogram.recordValue(received - start);
                }
            }
            System.out.printf("RESULT system=gridpush bench=roundtrip transport=%s count=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f%n",
                client.transport(), count, ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                ms(histogram.getValueAtPercentile(99)), ms(histogram.getMaxValue()));
        }
        return 0;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
