package io.gridpush.server;

import io.gridpush.operations.OperationRunner;
import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The first thing to stop: while it drains, /health answers 503 so that load balancers send new clients
 * elsewhere, and operations are still served. Then operations are answered {@code unavailable} (never
 * applied, safe to retry), those under way are awaited, and the rest of the gateway stops, closing
 * connections; clients reconnect through the balancer to another node.
 */
@Singleton
public final class Drain extends AbstractLifeCycle {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Drain.class);
    /** How long operations under way may take to finish once refused; a put is milliseconds unless the cluster is failing. */
    private static final long IN_FLIGHT_MS = 10_000;
    private final long drainMs;
    private final OperationRunner operations;
    private volatile boolean draining;

    @Inject
    public Drain(GatewayConfig config, OperationRunner operations) {
        this.drainMs = config.http().drainMs();
        this.operations = operations;
    }

    public boolean draining() {
        return draining;
    }

    @Override
    protected void doStart() {
        draining = false;
    }

    @Override
    protected void doStop() throws InterruptedException {
        draining = true;
        // A deliberate wait: the balancer's health checks need this long to take the node out of rotation.
        new CountDownLatch(1).await(drainMs, TimeUnit.MILLISECONDS);
        if (!operations.stopAccepting(IN_FLIGHT_MS)) {
            LOG.warn("Operations still under way after {} ms; stopping anyway, their callers get no reply and should read back", IN_FLIGHT_MS);
        }
    }
}
