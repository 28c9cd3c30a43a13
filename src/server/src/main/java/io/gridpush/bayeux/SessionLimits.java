package io.gridpush.bayeux;

import io.gridpush.config.GatewayConfig;
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

    int operationsPerSecond() {
        return limits.operationsPerSecond();
    }

    /** Takes one operation from the session's bucket; false when the session is over its rate. */
    boolean allowOperation(ServerSession session) {
        return GatewayConfig.Limits.unlimited(limits.operationsPerSecond()) || bucket(session).tryAcquire();
    }

    /** Whether the session has an operation left (without taking it): a subscription must not start a snapshot in debt. */
    boolean inBudget(ServerSession session) {
        return GatewayConfig.Limits.unlimited(limits.operationsPerSecond()) || bucket(session).available();
    }

    /**
     * Charges the session's bucket for work that a message caused beyond itself: one operation per
     * {@link #SNAPSHOT_ENTRIES_PER_OPERATION} snapshot entries sent, one per {@link #SCANNED_PER_OPERATION}
     * entries an {@code entries} page scanned.
     * So a subscribe/unsubscribe loop on a big cache, or paging through it, runs at the session's rate
     * like anything else, instead of multiplying each message it sends.
     */
    void charge(ServerSession session, long operations) {
        if (limits.operationsPerSecond() >= 0 && operations > 0) {
            bucket(session).charge(operations);
        }
    }

    /**
     * Snapshot entries sent for the price of one operation: a wildcard snapshot of 1,000 entries costs 100,
     * which a client re-syncing now and then never notices, while a subscribe/unsubscribe loop on a big
     * cache gets at most ten entries per operation the session may make.
     */
    static final int SNAPSHOT_ENTRIES_PER_OPERATION = 10;

    /** Entries an {@code entries} page may scan for the price of one operation. */
    static final int SCANNED_PER_OPERATION = 100;

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
