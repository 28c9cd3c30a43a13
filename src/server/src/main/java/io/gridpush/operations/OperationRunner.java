package io.gridpush.operations;

import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import io.gridpush.protocol.Operation;
import io.gridpush.scope.AuditRecord;
import io.gridpush.scope.Caller;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one home of how an operation is run, whoever asked (a Bayeux message, an HTTP request, an item of
 * an HTTP batch): the caller's rate, writer back-pressure, the operation itself, the audit record written
 * once the outcome is known, the metric, and the contract's error for anything that went wrong, so that
 * nothing reaches the wire but an error code and a message.
 *
 * <p>It must be called inside a request scope (the per-message scope, or the HTTP request's), where the
 * caller's {@link CacheOperations} and {@link AuditRecord} live.</p>
 *
 * <p>Threads: runs on the calling Jetty thread.</p>
 */
@Singleton
public final class OperationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);
    private final Provider<CacheOperations> operations;
    private final Provider<AuditRecord> audit;
    private final GatewayMetrics metrics;
    private final DeliveryPressure pressure;
    private final Provider<Caller> caller;
    /** Operations under way hold the read lock; the stop takes the write lock to wait for them. */
    private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile boolean stopping;

    @Inject
    OperationRunner(Provider<CacheOperations> operations, Provider<AuditRecord> audit, GatewayMetrics metrics, DeliveryPressure pressure,
                    Provider<Caller> caller) {
        this.caller = caller;
        this.operations = operations;
        this.audit = audit;
        this.metrics = metrics;
        this.pressure = pressure;
    }

    /** How an operation ended: the reply's data, or an error map ({@code error}, {@code message}). */
    public record Outcome(boolean successful, Object result, ErrorCode error) {
    }

    /** Runs the operation named {@code wireOp} on {@code data}, the caller's rate held to {@code budget}. */
    public Outcome run(String wireOp, Object data, OperationBudget budget) {
        if (!inFlight.readLock().tryLock() || stopping) {
            unlockIfHeld();
            return failure(ErrorCode.UNAVAILABLE, "this node is stopping; reconnect and retry");
        }
        try {
            return runAdmitted(wireOp, data, budget);
        } finally {
            inFlight.readLock().unlock();
        }
    }

    private Outcome runAdmitted(String wireOp, Object data, OperationBudget budget) {
        long start = System.nanoTime();
        Outcome outcome;
        try {
            if (!budget.tryTake()) {
                throw new GridpushException(ErrorCode.RATE_LIMITED, "more than " + budget.perSecond() + " operations per second; slow down");
            }
            Operation op = Operation.fromWire(wireOp);
            if (op == null) {
                throw GridpushException.badRequest("unknown operation '" + wireOp
                    + "'; the operations are get, getAll, put, putIfAbsent, replace, remove, entries");
            }
            if (op.isWrite()) {
                pressure.admitWrite();
            }
            outcome = new Outcome(true, operations.get().handle(op, RequestFields.of(data), budget), null);
        } catch (GridpushException x) {
            outcome = failure(x.code(), x.getMessage());
        } catch (RuntimeException x) {
            outcome = internal(wireOp, x);
        }
        try {
            audit.get().complete(outcome.successful() ? "ok" : outcome.error().wire());
        } catch (RuntimeException x) {
            // An audit that cannot be written fails the reply: the caller must not take an unaudited write as done.
            outcome = internal(wireOp, x);
        }
        metrics.operation(Operation.fromWire(wireOp) == null ? "unknown" : wireOp, System.nanoTime() - start,
            outcome.successful() ? "ok" : outcome.error().wire());
        return outcome;
    }

    /**
     * From now on every operation is answered {@code unavailable} (unapplied, safe to retry elsewhere); waits,
     * at most {@code waitMs}, for those under way to finish and be answered. Called by the drain on stop, so
     * that no operation goes unanswered or is applied without a reply. Returns whether they all finished.
     */
    public boolean stopAccepting(long waitMs) throws InterruptedException {
        stopping = true;
        if (inFlight.writeLock().tryLock(waitMs, TimeUnit.MILLISECONDS)) {
            inFlight.writeLock().unlock();
            return true;
        }
        return false;
    }

    /** Accepts operations again (a gateway started after a stop). */
    public void accept() {
        stopping = false;
    }

    private void unlockIfHeld() {
        if (inFlight.getReadHoldCount() > 0) {
            inFlight.readLock().unlock();
        }
    }

    private Outcome internal(String wireOp, RuntimeException failure) {
        String correlation = UUID.randomUUID().toString();
        LOG.error("Internal error {} handling operation {} from {}", correlation, wireOp, caller.get(), failure);
        return failure(ErrorCode.INTERNAL, "internal error, correlation id " + correlation);
    }

    /** An error outcome: {@code {error, message}} as the contract gives it. */
    public static Outcome failure(ErrorCode code, String text) {
        return new Outcome(false, Map.of(Fields.ERROR, code.wire(), Fields.MESSAGE, text == null ? code.wire() : text), code);
    }
}
