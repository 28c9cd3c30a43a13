package io.gridpush.operations;

import io.gridpush.cache.PushBridge;
import io.gridpush.config.GatewayConfig;
import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cometd.server.BayeuxServerImpl;

/**
 * The one home of writer back-pressure: while deliveries are more than {@code delivery.writeLagLimit}
 * behind, writes are refused with {@code rate_limited} ("slow down"), so that one fast writer cannot get
 * acknowledged what the gateway cannot deliver, which would otherwise end in every watcher's backlog
 * being conflated or re-synced. Reads are never refused here.
 *
 * <p>"Behind" is measured where the pushes wait. First the publishing lanes (a change waits there from the
 * write to its hand-off to the watchers' sessions; each lane holds up to {@code events.laneCapacity}, so
 * without this rule a writer is acknowledged that far ahead): how long the oldest waiting change has
 * waited. Then a probe job posted to CometD's flush executor (the threads that write to WebSocket
 * sessions, {@code delivery.flushThreads}) reports how long it waited before it ran, which is how long a
 * session's newest messages wait now. A frozen consumer does not count: its flush waits on the network,
 * not in this queue, so one slow client cannot stop the writers. Probes are posted by the writes
 * themselves, at most one outstanding and one per {@link #PROBE_EVERY_MS}; while one is outstanding the
 * lag is at least its age. Long-polling deliveries resume held requests on Jetty's own threads and are not
 * measured here.</p>
 *
 * <p>Threads: any thread that handles a write, and a flush thread for the probe.</p>
 */
@Singleton
public final class DeliveryPressure {
    static final long PROBE_EVERY_MS = 50;

    private final BayeuxServerImpl bayeux;
    private final PushBridge lanes;
    private final long limitNanos;
    private final AtomicBoolean outstanding = new AtomicBoolean();
    private volatile long postedAt;
    private volatile long lastPostedAt;
    private volatile long lastLagNanos;

    @Inject
    public DeliveryPressure(BayeuxServerImpl bayeux, PushBridge lanes, GatewayConfig config, GatewayMetrics metrics) {
        this.bayeux = bayeux;
        this.lanes = lanes;
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(config.delivery().writeLagLimitMs());
        metrics.gauge("gridpush_delivery_lag_seconds", "How far pushes are behind: the publishing lanes, or a WebSocket flush",
            () -> Math.max(lagNanos(), lanes.laneLagNanos()) / 1e9);
    }

    /** Refuses a write while deliveries are behind by more than the limit (0 = never). */
    public void admitWrite() {
        if (limitNanos <= 0) {
            return;
        }
        long lag = Math.max(lagNanos(), lanes.laneLagNanos());
        if (lag > limitNanos) {
            throw new GridpushException(ErrorCode.RATE_LIMITED, "deliveries are " + TimeUnit.NANOSECONDS.toMillis(lag)
                + " ms behind (delivery.writeLagLimit " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms); slow down and retry");
        }
    }

    /** The current delivery lag in nanoseconds; posts a probe when one is due. */
    long lagNanos() {
        long now = System.nanoTime();
        if (outstanding.get()) {
            return Math.max(lastLagNanos, now - postedAt);
        }
        if (now - lastPostedAt > TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MS) && outstanding.compareAndSet(false, true)) {
            postedAt = now;
            lastPostedAt = now;
            Executor flushes = bayeux.getExecutor();
            try {
                flushes.execute(() -> {
                    lastLagNanos = System.nanoTime() - postedAt;
                    outstanding.set(false);
                });
            } catch (RuntimeException x) {
                // Rejected (the executor is stopping): no measurement, no pressure.
                outstanding.set(false);
            }
        }
        return lastLagNanos;
    }
}
