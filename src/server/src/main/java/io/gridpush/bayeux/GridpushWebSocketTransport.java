package io.gridpush.bayeux;

import io.gridpush.security.RemoteAddress;
import java.util.ArrayList;
import java.util.List;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.websocket.jetty.JettyWebSocketTransport;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * CometD's Jetty WebSocket transport, closing a connection whose frame failed with {@link EdgeFailures}'s
 * code and plain reason. (CometD closes with 1011 and the exception's {@code toString()}, a Java class
 * name on the wire, whatever the cause.) A session keeps little of its upgrade: {@link DetachedUpgrade}
 * and {@link SessionContext}.
 */
public final class GridpushWebSocketTransport extends JettyWebSocketTransport {
    /** The servlet context, set by {@link #init()} (before any upgrade). */
    private Context context;

    public GridpushWebSocketTransport(BayeuxServerImpl bayeux) {
        super(bayeux);
    }

    /** Jetty's mappings, which CometD has just made, get {@link DetachedUpgrade} around them. */
    @Override
    public void init() {
        super.init();
        context = (Context) getBayeuxServer().getOption(Context.class.getName());
        WebSocketMappings mappings = ServerWebSocketContainer.get(context).getBean(WebSocketMappings.class);
        for (String mapping : normalizeURLMapping((String) getOption(COMETD_URL_MAPPING_OPTION))) {
            PathSpec spec = WebSocketMappings.parsePathSpec(mapping);
            mappings.addMapping(spec, new DetachedUpgrade(mappings.getWebSocketNegotiator(spec)));
        }
    }

    /** Every connection gets the {@link MessageClock}, which the client never sees (an internal extension). */
    @Override
    protected void modifyUpgrade(ServerUpgradeRequest request, ServerUpgradeResponse response) {
        List<ExtensionConfig> extensions = new ArrayList<>(response.getExtensions());
        extensions.add(0, ExtensionConfig.parse(MessageClock.NAME));
        response.setExtensions(extensions);
    }

    @Override
    protected Object newWebSocketEndPoint(BayeuxContext context) {
        return new EndPoint(this, new SessionContext(context, this.context));
    }

    /** Public: Jetty looks up the listener methods of the class itself. */
    public static final class EndPoint extends JettyWebSocketTransport.EndPoint {
        private final BayeuxContext context;

        EndPoint(GridpushWebSocketTransport transport, BayeuxContext context) {
            transport.super(context);
            this.context = context;
        }

        /** Threads: the Jetty thread that read the frame, or the one that completed its handling. */
        @Override
        public void onMessage(String data, Promise<Void> promise) {
            super.onMessage(data, Promise.from(promise::succeed, failure -> {
                EdgeFailures.Answer answer = EdgeFailures.answer(failure, RemoteAddress.of(context));
                close(answer.closeCode(), EdgeFailures.closeReason(answer.reason()));
            }));
        }
    }
}
