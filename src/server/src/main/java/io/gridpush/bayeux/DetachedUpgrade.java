package io.gridpush.bayeux;

import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.JettyWebSocketFrameHandler;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.ExtensionConfig;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.server.internal.CompletedUpgradeRequest;
import org.eclipse.jetty.websocket.server.internal.CompletedUpgradeResponse;

/**
 * Jetty's negotiation of a WebSocket upgrade, after which the session keeps a copy of the upgrade request
 * and response that holds nothing of the HTTP connection they came on.
 *
 * <p>Why: Jetty keeps the upgrade request and response for the life of the WebSocket
 * ({@code Session.getUpgradeRequest()}), and in Jetty 12.1 both copies reach back to the HTTP/1.1
 * connection. Each request header is an inner object of the HTTP parser and the header list keeps a
 * supplier of the channel's compliance listener; the response's header map is a live view of the
 * response, which holds the servlet request. So every idle WebSocket kept its finished
 * {@code HttpConnection}, parser, channel and servlet request and response: about a fifth of its heap
 * (README, "Idle memory"). The copies made here hold the same names and values as Jetty's: the request
 * as it came, the response as it stood when the endpoint was made (its status and
 * {@code Sec-WebSocket-Accept} come later, which Jetty's copy does not read either).
 */
final class DetachedUpgrade implements WebSocketNegotiator {
    private final WebSocketNegotiator negotiator;

    DetachedUpgrade(WebSocketNegotiator negotiator) {
        this.negotiator = negotiator;
    }

    /** Threads: the Jetty thread handling the upgrade request. */
    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        FrameHandler handler = negotiator.negotiate(request, response, callback);
        if (handler instanceof JettyWebSocketFrameHandler jetty) {
            // Jetty made its copies when the handler was made; these replace them before the session opens.
            jetty.setUpgradeRequest(new CompletedUpgradeRequest(new PlainRequest(request)));
            jetty.setUpgradeResponse(new CompletedUpgradeResponse(new PlainResponse(response)));
        }
        return handler;
    }

    @Override
    public void customize(Configuration configurable) {
        negotiator.customize(configurable);
    }

    /** The upgrade request with plain copies of its headers; read once, by Jetty's copy, then dropped. */
    private static final class PlainRequest extends Request.Wrapper implements ServerUpgradeRequest {
        private final ServerUpgradeRequest upgrade;
        private final HttpFields headers;

        PlainRequest(ServerUpgradeRequest upgrade) {
            super(upgrade);
            this.upgrade = upgrade;
            this.headers = copy(upgrade.getHeaders()).asImmutable();
        }

        @Override
        public HttpFields getHeaders() {
            return headers;
        }

        @Override
        public WebSocketComponents getWebSocketComponents() {
            return upgrade.getWebSocketComponents();
        }

        @Override
        public List<ExtensionConfig> getExtensions() {
            return upgrade.getExtensions();
        }

        @Override
        public String getProtocolVersion() {
            return upgrade.getProtocolVersion();
        }

        @Override
        public List<String> getSubProtocols() {
            return upgrade.getSubProtocols();
        }

        @Override
        public boolean hasSubProtocol(String subprotocol) {
            return upgrade.hasSubProtocol(subprotocol);
        }
    }

    /** The upgrade response with plain copies of its headers (Jetty's copy keeps a live view of them). */
    private static final class PlainResponse extends Response.Wrapper implements ServerUpgradeResponse {
        private final ServerUpgradeResponse upgrade;
        private final HttpFields.Mutable headers;

        PlainResponse(ServerUpgradeResponse upgrade) {
            super(upgrade.getRequest(), upgrade);
            this.upgrade = upgrade;
            this.headers = copy(upgrade.getHeaders());
        }

        @Override
        public HttpFields.Mutable getHeaders() {
            return headers;
        }

        @Override
        public String getAcceptedSubProtocol() {
            return upgrade.getAcceptedSubProtocol();
        }

        @Override
        public void setAcceptedSubProtocol(String protocol) {
            throw new UnsupportedOperationException("a copy");
        }

        @Override
        public List<ExtensionConfig> getExtensions() {
            return upgrade.getExtensions();
        }

        @Override
        public void addExtensions(List<ExtensionConfig> configs) {
            throw new UnsupportedOperationException("a copy");
        }

        @Override
        public void removeExtensions(List<ExtensionConfig> configs) {
            throw new UnsupportedOperationException("a copy");
        }

        @Override
        public void setExtensions(List<ExtensionConfig> configs) {
            throw new UnsupportedOperationException("a copy");
        }
    }

    /** Plain fields: a parsed field is an inner object of the parser, and so holds the connection. */
    private static HttpFields.Mutable copy(HttpFields headers) {
        HttpFields.Mutable copy = HttpFields.build(headers.size());
        for (HttpField field : headers) {
            copy.add(new HttpField(field.getHeader(), field.getName(), field.getValue()));
        }
        return copy;
    }
}
