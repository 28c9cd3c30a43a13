package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
import io.gridpush.operations.OperationBudget;
import io.gridpush.security.RateLimiter;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.cometd.bayeux.server.ServerSession;

/**
 * The per-session limits: operations per second (remote calls, subscriptions, and the snapshots and scans
 * they cause) and subscriptions held. One home for both rules.
 */
@Singleton
public final class SessionLimits {
    private static final String OPERATIONS = SessionLimits.class.getName() + ".operations";
    private final GatewayConfig.Limits limits;

    @Inject
    public SessionLimits(GatewayConfig config) {
        this.limits = config.limits();
    }

    /** The session's operations, as an operation sees them. */
    OperationBudget budget(ServerSession session) {
        return new OperationBudget() {
            @Override
            public boolean tryTake() {
                return GatewayConfig.Limits.unlimited(limits.operationsPerSecond()) || bucket(session).tryAcquire();
            }

            @Override
            public void charge(long operations) {
                SessionLimits.this.charge(session, operations);
            }

            @Override
            public int perSecond() {
                return limits.operationsPerSecond();
            }
        };
    }

    /** Whether the session has an operation left (without taking it): a subscription must not start a snapshot in debt. */
    boolean inBudget(ServerSession session) {
        return GatewayConfig.Limits.unlimited(limits.operationsPerSecond()) || bucket(session).available();
    }

    /**
     * Charges the session's bucket for work that a message caused beyond itself: one operation per
     * {@link OperationBudget#SNAPSHOT_ENTRIES_PER_OPERATION} snapshot entries sent, one per {@link OperationBudget#SCANNED_PER_OPERATION}
     * entries an {@code entries} page scanned.
     * So a subscribe/unsubscribe loop on a big cache, or paging through it, runs at the session's rate
     * like anything else, instead of multiplying each message it sends.
     */
    void charge(ServerSession session, long operations) {
        if (limits.operationsPerSecond() >= 0 && operations > 0) {
            bucket(session).charge(operations);
        }
    }

    private RateLimiter bucket(ServerSession session) {
        RateLimiter bucket = (RateLimiter)session.getAttribute(OPERATIONS);
        if (bucket == null) {
            // Threads: a session's messages are handled one at a time, so there is no race creating it.
            bucket = new RateLimiter(limits.operationsPerSecond());
            session.setAttribute(OPERATIONS, bucket);
        }
        return bucket;
    }

    /** Whether the session may add {@code more} subscriptions. */
    boolean allowSubscriptions(ServerSession session, int more) {
        int max = limits.subscriptionsPerSession();
        return GatewayConfig.Limits.unlimited(max) || session.getSubscriptions().size() + more <= max;
    }
}
