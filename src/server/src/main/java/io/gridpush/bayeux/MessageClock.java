package io.gridpush.bayeux;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.AbstractExtension;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * A WebSocket extension that only watches: it notes when each incoming message (all its frames) was complete,
 * and how many bytes the connection had read by then, so that {@link MessageTimeout} can tell a message
 * that is still arriving from an idle connection. Jetty's parser keeps that state private, and its
 * {@code getMessagesIn()} counts reads, not frames.
 *
 * <p>Internal (its name starts with "@"): Jetty adds it to every connection without announcing it in the
 * handshake response, so clients see nothing. Threads: {@link #onFrame} runs on the thread reading the
 * connection; the sweep reads the two volatile fields from Jetty's scheduler.</p>
 */
public final class MessageClock extends AbstractExtension {
    public static final String NAME = "@gridpush-message-clock";

    private MessageTimeout timeout;
    private WebSocketCoreSession session;
    private boolean inMessage;
    private volatile long completeAt = System.nanoTime();
    private volatile long bytesAtComplete;

    @Override
    public void init(ExtensionConfig config, WebSocketComponents components) {
        super.init(config, components);
        timeout = components.getBean(MessageTimeout.class);
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public void setCoreSession(CoreSession coreSession) {
        super.setCoreSession(coreSession);
        if (coreSession instanceof WebSocketCoreSession core && timeout != null) {
            session = core;
            timeout.watch(this);
        }
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        // A ping between two fragments of a message does not end it.
        if (frame.isDataFrame()) {
            inMessage = !frame.isFin();
        }
        if (!inMessage) {
            WebSocketConnection connection = connection();
            bytesAtComplete = connection == null ? 0 : connection.getBytesIn();
            completeAt = System.nanoTime();
        }
        nextIncomingFrame(frame, callback);
    }

    @Override
    public void close() {
        if (timeout != null) {
            timeout.forget(this);
        }
    }

    WebSocketCoreSession session() {
        return session;
    }

    WebSocketConnection connection() {
        return session == null ? null : session.getConnection();
    }

    /** Whether bytes have arrived since the last complete message. */
    boolean partial() {
        WebSocketConnection connection = connection();
        return connection != null && connection.getBytesIn() > bytesAtComplete;
    }

    long completeAt() {
        return completeAt;
    }
}
