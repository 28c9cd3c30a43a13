package io.gridpush.bayeux;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * {@code limits.webSocketMessageTimeout}: a WebSocket message must be complete within this time of its
 * first byte. Every trickled byte resets the idle timeout, so without this a client sending one byte every
 * few seconds holds a connection (and its session) for good.
 *
 * <p>Once a second it looks at every connection's {@link MessageClock}. A connection with bytes past its
 * last complete message is part-way through one; if it is still part-way through the same one after the
 * timeout, it is closed with 1008 and a plain reason, and cut on the next sweep if the client does not
 * answer the close (it is busy trickling). Threads: Jetty's scheduler for the sweep; {@link #watch} and
 * {@link #forget} come from the connections' threads, hence the concurrent set.</p>
 */
public final class MessageTimeout extends AbstractLifeCycle {
    static final String REASON = "message too slow";

    private final Scheduler scheduler;
    private final long timeoutNanos;
    private final Set<MessageClock> clocks = ConcurrentHashMap.newKeySet();
    /** Sweep thread only: since when each connection has been part-way through the message it was then. */
    private Map<MessageClock, long[]> partial = new HashMap<>();
    /** Sweep thread only: the connections asked to close in the last sweep. */
    private final Set<MessageClock> closing = new HashSet<>();
    private volatile Scheduler.Task task;

    public MessageTimeout(Scheduler scheduler, long timeoutMs) {
        this.scheduler = scheduler;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    }

    void watch(MessageClock clock) {
        clocks.add(clock);
    }

    void forget(MessageClock clock) {
        clocks.remove(clock);
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task scheduled = task;
        if (scheduled != null) {
            scheduled.cancel();
        }
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            task = scheduler.schedule(this::sweep, 1, TimeUnit.SECONDS);
        }
    }

    private void sweep() {
        try {
            cut();
        } finally {
            // Whatever happened in this sweep, the next one runs.
            schedule();
        }
    }

    private void cut() {
        long now = System.nanoTime();
        Map<MessageClock, long[]> seen = new HashMap<>();
        for (MessageClock clock : clocks) {
            WebSocketCoreSession session = clock.session();
            if (closing.remove(clock)) {
                // Asked to close a sweep ago and still here: the client never answered.
                session.abort();
                continue;
            }
            if (!clock.partial()) {
                continue;
            }
            long[] since = partial.get(clock);
            if (since == null || since[0] != clock.completeAt()) {
                since = new long[]{clock.completeAt(), now};
            }
            if (now - since[1] > timeoutNanos) {
                closing.add(clock);
                BadInputLog.refused("a WebSocket message still incomplete after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s",
                    session.getRemoteAddress());
                session.close(CloseStatus.POLICY_VIOLATION, REASON, Callback.NOOP);
            } else {
                seen.put(clock, since);
            }
        }
        closing.retainAll(clocks);
        partial = seen;
    }
}
