package io.gridpush.bench;

import io.gridpush.cache.GridCache;
import io.gridpush.client.CacheEvent;
import io.gridpush.client.GridpushClient;
import io.gridpush.client.GridpushClient.Transport;
import io.gridpush.client.Page;
import io.gridpush.client.RemoteCache;
import io.gridpush.protocol.EventType;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A large cache read whole, the two ways clients do it: paging everything with {@code entries}, and a
 * wildcard subscription whose snapshot is truncated at {@code limits.snapshotEntries} and completed by the
 * client page by page. Fills an in-process gateway's cache through the Java API first. Prints the page
 * latency percentiles and the time to read everything; with the key index a page costs O(page), so both
 * grow linearly with the cache (before it, each page was a scan: O(N²/page) in all).
 */
@Command(name = "entries", mixinStandardHelpOptions = true, description = "Paging and wildcard snapshot completion of a large cache.")
public final class EntriesBench implements Callable<Integer> {
    @Option(names = "--entries", defaultValue = "1000000", description = "Entries in the cache.")
    int entries;

    @Option(names = "--page", defaultValue = "1000", description = "Entries per page (at most 1000).")
    int page;

    @Option(names = "--transport", defaultValue = "websocket", description = "websocket or long-polling")
    String transport;

    @Override
    public Integer call() throws Exception {
        try (BenchTarget target = BenchTarget.of(null, Map.of("limits.operationsPerSecond", "-1"))) {
            GridCache cache = target.gateway().grid().cache("default");
            long filling = System.nanoTime();
            for (int i = 0; i < entries; ++i) {
                cache.put(String.format("e%08d", i), Map.of("i", i, "name", "entry " + i));
            }
            System.out.printf("filled %d entries in %.1f s%n", entries, (System.nanoTime() - filling) / 1e9);
            Transport chosen = transport.equals("long-polling") ? Transport.LONG_POLLING : Transport.WEBSOCKET;
            try (GridpushClient client = GridpushClient.connect(target.url(), GridpushClient.Options.defaults()
                    .withTransports(chosen).withTimeout(java.time.Duration.ofSeconds(120)))) {
                pageAll(client.cache("default"));
                completeSnapshot(client.cache("default"));
            }
        }
        return 0;
    }

    private void pageAll(RemoteCache cache) throws Exception {
        Histogram pages = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long start = System.nanoTime();
        long listed = 0;
        String after = null;
        // Bounded: one page more than the cache needs.
        for (int i = 0; i <= entries / page + 1; ++i) {
            long pageStart = System.nanoTime();
            Page result = cache.entries(after, page).get(60, TimeUnit.SECONDS);
            pages.recordValue(System.nanoTime() - pageStart);
            listed += result.entries().size();
            after = result.next();
            if (after == null) {
                break;
            }
        }
        System.out.printf("RESULT system=gridpush bench=entries mode=paging transport=%s entries=%d listed=%d page=%d total_s=%.2f " +
            "page_p50_ms=%.2f page_p99_ms=%.2f page_max_ms=%.2f%n", transport, entries, listed, page, (System.nanoTime() - start) / 1e9,
            pages.getValueAtPercentile(50) / 1e6, pages.getValueAtPercentile(99) / 1e6, pages.getMaxValue() / 1e6);
    }

    private void completeSnapshot(RemoteCache cache) throws Exception {
        long start = System.nanoTime();
        AtomicInteger snapshots = new AtomicInteger();
        CompletableFuture<CacheEvent> complete = new CompletableFuture<>();
        cache.watchAll(event -> {
            if (event.type() == EventType.SNAPSHOT) {
                snapshots.incrementAndGet();
            } else if (event.type() == EventType.SNAPSHOT_END && !event.truncated()) {
                complete.complete(event);
            }
        });
        CacheEvent end = complete.get(30, TimeUnit.MINUTES);
        System.out.printf("RESULT system=gridpush bench=entries mode=wildcard-completion transport=%s entries=%d snapshots=%d count=%d total_s=%.2f%n",
            transport, entries, snapshots.get(), end.count(), (System.nanoTime() - start) / 1e9);
    }
}
