package io.gridpush.server;

import io.gridpush.config.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The first thing to stop: while it drains, /health answers 503 so that load balancers send new clients
 * elsewhere; then the rest of the gateway stops, closing connections, and clients reconnect through the
 * balancer to another node.
 */
@Singleton
public final class Drain extends AbstractLifeCycle {
    private final long drainMs;
    private volatile boolean draining;

    @Inject
    public Drain(GatewayConfig config) {
        this.drainMs = config.http().drainMs();
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
    }
}
