package io.gridpush.server;

import io.gridpush.security.RateLimiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers 429 to a remote address that opens more than its share of Bayeux sessions per second: long-polling
 * handshakes ({@code /cometd/handshake}) and WebSocket upgrades (each may carry a handshake) both count.
 * The per-address buckets are dropped once idle, so the map does not grow with every address ever seen.
 */
final class HandshakeThrottle extends Handler.Wrapper {
    private static final long IDLE_NANOS = 60_000_000_000L;
    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    HandshakeThrottle(int perSecond, Handler handler) {
        super(handler);
        this.perSecond = perSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (perSecond > 0 && opensSession(request)) {
            String address = Request.getRemoteAddr(request);
            long now = System.nanoTime();
            Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(new RateLimiter(perSecond)));
            bucket.used = now;
            if (buckets.size() > 1024) {
                buckets.values().removeIf(b -> now - b.used > IDLE_NANOS);
            }
            if (!bucket.limiter.tryAcquire()) {
                Response.writeError(request, response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "too many handshakes from " + address);
                return true;
            }
        }
        return super.handle(request, response, callback);
    }

    private static boolean opensSession(Request request) {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(HttpServer.COMETD_PATH)) {
            return false;
        }
        return path.endsWith("/handshake") || request.getHeaders().contains(HttpHeader.UPGRADE, "websocket");
    }

    private static final class Bucket {
        final RateLimiter limiter;
        volatile long used;

        Bucket(RateLimiter limiter) {
            this.limiter = limiter;
        }
    }
}
