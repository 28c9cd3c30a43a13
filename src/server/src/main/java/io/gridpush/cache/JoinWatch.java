package io.gridpush.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.EmbeddedCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a joining node's state transfer. Caches start without waiting for it (so a start-up can never
 * hang in it, as one in twenty restarts did after a coordinator's graceful leave); until every exposed
 * cache holds its share, {@link #joining()} names the ones still receiving it, /health answers 503, and
 * after {@code timeout} an error is logged every {@code timeout} until they are done.
 *
 * <p>Threads: one daemon thread checks every second; {@link #joining()} is called by /health.</p>
 */
final class JoinWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JoinWatch.class);
    private final EmbeddedCacheManager manager;
    private final Set<String> caches;
    private final long started = System.nanoTime();
    private final long timeoutNanos;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gridpush-join-watch");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<String> joining;
    private long nextComplaint;

    JoinWatch(EmbeddedCacheManager manager, Set<String> caches, Duration timeout) {
        this.manager = manager;
        this.caches = caches;
        this.timeoutNanos = timeout.toNanos();
        this.nextComplaint = started + timeoutNanos;
        this.joining = check();
        if (!joining.isEmpty()) {
            LOG.info("Receiving this node's share of caches {}; /health answers 503 until it has arrived", joining);
            timer.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
        }
    }

    List<String> joining() {
        return joining;
    }

    private void poll() {
        List<String> now = check();
        joining = now;
        long elapsed = System.nanoTime() - started;
        if (now.isEmpty()) {
            LOG.info("This node holds its share of every cache, {} ms after joining", TimeUnit.NANOSECONDS.toMillis(elapsed));
            timer.shutdown();
        } else if (System.nanoTime() >= nextComplaint) {
            nextComplaint += timeoutNanos;
            LOG.error("State transfer of caches {} has not completed {} s after this node joined; it serves (reads go to the " +
                "other owners) but /health answers 503. Check that every member is reachable; restarting this node retries the join.",
                now, TimeUnit.NANOSECONDS.toSeconds(elapsed));
        }
    }

    private List<String> check() {
        List<String> incomplete = new ArrayList<>();
        for (String name : caches) {
            var distribution = manager.getCache(name).getAdvancedCache().getDistributionManager();
            if (distribution != null && !distribution.isJoinComplete()) {
                incomplete.add(name);
            }
        }
        return List.copyOf(incomplete);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
