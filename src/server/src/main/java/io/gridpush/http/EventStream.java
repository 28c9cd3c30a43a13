package io.gridpush.http;

import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.Consumer;
import org.eclipse.jetty.util.ajax.JSON;

/**
 * One Server-Sent Events stream: events queue here and are written without blocking (the servlet's
 * {@link WriteListener}), so a slow reader never holds the change lanes that feed every watcher. The
 * queue is bounded ({@code delivery.maxQueue}); a reader that falls that far behind is sent
 * {@code resync} and the stream ends, and the reader's {@code EventSource} reconnects to a fresh snapshot.
 *
 * <p>The version rule is applied here, per key: an event no newer than what the stream already sent for
 * its key is dropped, so a reader never sees a key go backwards (a change delivered after a snapshot that
 * already held it, say).</p>
 *
 * <p>Threads: events are offered from change-lane threads and the opening request's thread; the
 * container calls {@link #onWritePossible} on its own; everything that touches the output holds this
 * object's lock.</p>
 */
final class EventStream implements WriteListener {
    private static final JSON JSON_TEXT = new JSON();
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final int maxQueue;
    private final Consumer<EventStream> onEnd;
    private final String overflowJson;
    private final Queue<byte[]> pending = new ArrayDeque<>();
    private final Map<String, Long> versions = new HashMap<>();
    private boolean unflushed;
    private boolean ending;
    private boolean ended;
    private volatile long lastWriteNanos = System.nanoTime();

    EventStream(AsyncContext async, int maxQueue, Map<String, Object> overflow, Consumer<EventStream> onEnd) throws IOException {
        this.overflowJson = JSON_TEXT.toJSON(overflow);
        this.async = async;
        this.out = async.getResponse().getOutputStream();
        this.maxQueue = maxQueue;
        this.onEnd = onEnd;
    }

    /** Starts writing: the container calls {@link #onWritePossible} from now on. */
    void start(long retryMs) {
        synchronized (this) {
            pending.add(("retry: " + retryMs + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        out.setWriteListener(this);
    }

    /** Queues one event ({@code data} as on Bayeux); its id is its version, when it has one. */
    void event(Map<String, Object> data) {
        String type = String.valueOf(data.get(Fields.TYPE));
        Object version = data.get(Fields.VERSION);
        Object key = data.get(Fields.KEY);
        synchronized (this) {
            if (ending) {
                return;
            }
            if (key instanceof String k && version instanceof Number v && !type.equals(EventType.RESYNC.wire())) {
                Long sent = versions.get(k);
                if (sent != null && v.longValue() <= sent) {
                    return;
                }
                versions.put(k, v.longValue());
            }
            if (pending.size() >= maxQueue) {
                overflow();
            } else {
                pending.add(frame(version instanceof Number ? String.valueOf(version) : null, type, JSON_TEXT.toJSON(data)));
            }
        }
        drain();
    }

    /** Sends {@code resync} for the whole stream and ends it: the reader must take a fresh snapshot. */
    void resync(Map<String, Object> data) {
        last(EventType.RESYNC.wire(), data);
    }

    /** Sends one last event of {@code type} after what is queued, and ends the stream. */
    void last(String type, Map<String, Object> data) {
        synchronized (this) {
            if (ending) {
                return;
            }
            pending.add(frame(null, type, JSON_TEXT.toJSON(data)));
            ending = true;
        }
        drain();
    }

    /** A comment line, so proxies and the idle timeout see traffic on a quiet stream. */
    void heartbeatIfIdle(long idleNanos) {
        if (System.nanoTime() - lastWriteNanos < idleNanos) {
            return;
        }
        synchronized (this) {
            if (ending || !pending.isEmpty()) {
                return;
            }
            pending.add(":\n\n".getBytes(StandardCharsets.UTF_8));
        }
        drain();
    }

    /** Ends the stream after what is queued (the gateway stops). */
    void end() {
        synchronized (this) {
            ending = true;
        }
        drain();
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        synchronized (this) {
            ending = true;
            pending.clear();
        }
        finish();
    }

    private void overflow() {
        pending.clear();
        pending.add(frame(null, EventType.RESYNC.wire(), overflowJson));
        ending = true;
    }

    private void drain() {
        boolean done = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            try {
                while (out.isReady()) {
                    byte[] next = pending.poll();
                    if (next == null) {
                        if (unflushed) {
                            unflushed = false;
                            out.flush();
                            continue;
                        }
                        done = ending;
                        break;
                    }
                    out.write(next);
                    unflushed = true;
                    lastWriteNanos = System.nanoTime();
                }
            } catch (IOException | IllegalStateException x) {
                pending.clear();
                done = true;
            }
        }
        if (done) {
            finish();
        }
    }

    private void finish() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        onEnd.accept(this);
        try {
            async.complete();
        } catch (IllegalStateException x) {
            // Already completed by the container (the reader went away).
        }
    }

    private static byte[] frame(String id, String type, String json) {
        StringBuilder frame = new StringBuilder(json.length() + 48);
        if (id != null) {
            frame.append("id: ").append(id).append('\n');
        }
        frame.append("event: ").append(type).append('\n').append("data: ").append(json).append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }
}
