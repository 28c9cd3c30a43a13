package io.gridpush.server;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code limits.httpHeaderTimeout}: a request's headers must be complete within this time of their first
 * byte, or the connection is closed. The idle timeout alone does not end a client that sends one header
 * byte every few seconds, and Jetty's minimum data rate counts only bodies.
 *
 * <p>Once a second it looks at every HTTP/1 connection whose parser is part-way through a request's
 * headers, and closes those that have been for longer than the timeout ({@code getMessagesIn} tells one
 * request from the next on a kept-alive connection). Threads: Jetty's scheduler; the parser state it
 * reads may be a moment old, which only shifts the cut by up to a sweep.</p>
 */
final class HeaderTimeout extends AbstractLifeCycle {
    private final Server server;
    private final long timeoutNanos;
    private Map<EndPoint, long[]> partial = new HashMap<>();
    private volatile Scheduler.Task task;

    HeaderTimeout(Server server, long timeoutMs) {
        this.server = server;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
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
            task = server.getScheduler().schedule(this::sweep, 1, TimeUnit.SECONDS);
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
        Map<EndPoint, long[]> seen = new HashMap<>();
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (http(endPoint.getConnection()) instanceof HttpConnection http && !http.getParser().isStart() && http.getParser().inHeaderState()) {
                    long[] since = partial.get(endPoint);
                    if (since == null || since[0] != http.getMessagesIn()) {
                        since = new long[]{http.getMessagesIn(), now};
                    }
                    if (now - since[1] > timeoutNanos) {
                        endPoint.close();
                    } else {
                        seen.put(endPoint, since);
                    }
                }
            }
        }
        partial = seen;
    }

    private static Connection http(Connection connection) {
        return connection instanceof SslConnection ssl ? ssl.getSslEndPoint().getConnection() : connection;
    }
}
