package io.gridpush.operations;

/**
 * The rate one caller's operations are held to: a Bayeux session's bucket, or an HTTP caller's. The
 * operations take from it; work an operation caused beyond itself (a page's scan) is charged after.
 */
public interface OperationBudget {
    /** Entries an {@code entries} page may scan for the price of one operation. */
    int SCANNED_PER_OPERATION = 100;

    /**
     * Snapshot entries sent for the price of one operation: a wildcard snapshot of 1,000 entries costs 100,
     * which a client re-syncing now and then never notices, while a subscribe/unsubscribe loop on a big
     * cache gets at most ten entries per operation the session may make.
     */
    int SNAPSHOT_ENTRIES_PER_OPERATION = 10;

    /** Takes one operation; false when the caller is over its rate. */
    boolean tryTake();

    /** Charges {@code operations} for work already done, going into debt if need be. */
    void charge(long operations);

    /** The rate, for the refusal's message. */
    int perSecond();
}
