package io.gridpush.bayeux;

import io.gridpush.metrics.GatewayMetrics;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import io.gridpush.protocol.Operation;
import io.gridpush.scope.AuditRecord;
import io.gridpush.scope.MessageScope;
import io.gridpush.security.HandshakePolicy;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles every message published on {@code /service/**}: opens the per-message request scope, runs the
 * operation, writes the audit record once, and replies to the caller alone with a result or a contract
 * error. Nothing that goes wrong inside reaches the wire as anything but an error code and a message.
 *
 * <p>Threads: runs on the Jetty thread that read the message (WebSocket frame or long-polling request).</p>
 */
@Singleton
public final class OperationDispatcher implements ServerChannel.MessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(OperationDispatcher.class);
    private final MessageScope scope;
    private final Provider<CacheOperations> operations;
    private final Provider<AuditRecord> audit;
    private final Outbound outbound;
    private final GatewayMetrics metrics;
    private final SessionLimits limits;
    private final DeliveryPressure pressure;
    /** Operations under way hold the read lock; the stop takes the write lock to wait for them. */
    private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
    private volatile boolean stopping;

    @Inject
    public OperationDispatcher(MessageScope scope, Provider<CacheOperations> operations, Provider<AuditRecord> audit, Outbound outbound,
                               GatewayMetrics metrics, SessionLimits limits, DeliveryPressure pressure) {
        this.pressure = pressure;
        this.scope = scope;
        this.operations = operations;
        this.audit = audit;
        this.outbound = outbound;
        this.metrics = metrics;
        this.limits = limits;
    }

    @Override
    public boolean onMessage(ServerSession from, ServerChannel channel, ServerMessage.Mutable message) {
        // The token refresh has a listener of its own (TokenRefresh); every other /service/ message is an operation.
        if (from == null || outbound.isSelf(from) || ChannelNames.TOKEN_REFRESH_CHANNEL.equals(message.getChannel())) {
            return true;
        }
        if (!inFlight.readLock().tryLock() || stopping) {
            unlockIfHeld();
            outbound.reply(from, message, false, error(ErrorCode.UNAVAILABLE, "this node is stopping; reconnect and retry"));
            return true;
        }
        try {
            scope.run(from, message, HandshakePolicy.identityOf(from), () -> handle(from, message));
        } finally {
            inFlight.readLock().unlock();
        }
        return true;
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
    void accept() {
        stopping = false;
    }

    private void unlockIfHeld() {
        if (inFlight.getReadHoldCount() > 0) {
            inFlight.readLock().unlock();
        }
    }

    private void handle(ServerSession from, ServerMessage message) {
        long start = System.nanoTime();
        String wireOp = ChannelNames.operationOf(message.getChannel());
        Object result;
        boolean successful = false;
        String outcome;
        try {
            if (!limits.allowOperation(from)) {
                throw new GridpushException(ErrorCode.RATE_LIMITED, "more than " + limits.operationsPerSecond() + " operations per second; slow down");
            }
            Operation op = Operation.fromWire(wireOp);
            if (op == null) {
                throw GridpushException.badRequest("unknown operation " + message.getChannel() +
                    "; the operations are /service/cache/{get,getAll,put,putIfAbsent,replace,remove,entries}");
            }
            if (op.isWrite()) {
                pressure.admitWrite();
            }
            result = operations.get().handle(op, RequestFields.of(message.getData()));
            successful = true;
            outcome = "ok";
        } catch (GridpushException x) {
            result = error(x.code(), x.getMessage());
            outcome = x.code().wire();
        } catch (RuntimeException x) {
            result = internal(from, message, x);
            outcome = ErrorCode.INTERNAL.wire();
        }
        try {
            audit.get().complete(outcome);
        } catch (RuntimeException x) {
            // An audit that cannot be written fails the reply: the caller must not take an unaudited write as done.
            result = internal(from, message, x);
            successful = false;
            outcome = ErrorCode.INTERNAL.wire();
        }
        outbound.reply(from, message, successful, result);
        metrics.operation(Operation.fromWire(wireOp) == null ? "unknown" : wireOp, System.nanoTime() - start, outcome);
    }

    private static Map<String, Object> internal(ServerSession from, ServerMessage message, RuntimeException failure) {
        String correlation = UUID.randomUUID().toString();
        LOG.error("Internal error {} handling {} from {}", correlation, message.getChannel(), from.getId(), failure);
        return error(ErrorCode.INTERNAL, "internal error, correlation id " + correlation);
    }

    private static Map<String, Object> error(ErrorCode code, String text) {
        return Map.of(Fields.ERROR, code.wire(), Fields.MESSAGE, text == null ? code.wire() : text);
    }
}
