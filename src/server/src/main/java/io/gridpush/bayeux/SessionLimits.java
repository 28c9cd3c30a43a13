package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
import io.gridpush.security.RateLimiter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.cometd.bayeux.server.ServerSession;

/** The per-session limits: operations per second and subscriptions held. One home for both rules. */
@Singleton
public final class SessionLimits {
    private static final String OPERATIONS = SessionLimits.class.getName() + ".operations";
    private final GatewayConfig.Limits limits;

    @Inject
    public SessionLimits(GatewayConfig config) {
        this.limits = config.limits();
    }

    int operationsPerSecond() {
        return limits.operationsPerSecond();
    }

    /** Takes one operation from the session's bucket; false when the session is over its rate. */
    boolean allowOperation(ServerSession session) {
        if (limits.operationsPerSecond() < 0) {
            return true;
        }
        RateLimiter bucket = (RateLimiter)session.getAttribute(OPERATIONS);
        if (bucket == null) {
            // Threads: a session's messages are handled one at a time, so there is no race creating it.
            bucket = new RateLimiter(limits.operationsPerSecond());
            session.setAttribute(OPERATIONS, bucket);
        }
        return bucket.tryAcquire();
    }

    /** Whether the session may add {@code more} subscriptions. */
    boolean allowSubscriptions(ServerSession session, int more) {
        int max = limits.subscriptionsPerSession();
        return max < 0 || session.getSubscriptions().size() + more <= max;
    }
}
