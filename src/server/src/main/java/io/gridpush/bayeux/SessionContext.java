package io.gridpush.bayeux;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.server.websocket.common.AbstractBayeuxContext;
import org.eclipse.jetty.server.Context;

/**
 * What a WebSocket session keeps of its upgrade request, for as long as it lives: the addresses, the URL,
 * whether it is secure, and the headers that are read after the upgrade ({@code User-Agent}, which CometD
 * reads at the handshake, and {@code Origin}). Context attributes are the servlet context's own.
 *
 * <p>Why: CometD's context holds a copy of every request header (split into values), the query, and
 * copies of the request's and the servlet context's attributes, per session; that was about a tenth of
 * an idle session's heap (README, "Idle memory"), and a browser's cookies alone can be kilobytes. Nothing
 * in the gateway reads the rest: identity comes from the handshake message, the client's address from
 * the connection (TrustedProxies), and the Origin was checked before the upgrade.
 */
final class SessionContext extends AbstractBayeuxContext {
    private static final List<String> KEPT_HEADERS = List.of("User-Agent", "Origin");
    private final Context context;

    SessionContext(BayeuxContext upgrade, Context context) {
        super(upgrade.getURL(), upgrade.getContextPath(), null, kept(upgrade), Map.of(), upgrade.getUserPrincipal(),
            upgrade.getLocalAddress(), upgrade.getRemoteAddress(), upgrade.getLocales(), upgrade.getProtocol(), upgrade.isSecure());
        this.context = context;
    }

    private static Map<String, List<String>> kept(BayeuxContext upgrade) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        for (String name : KEPT_HEADERS) {
            List<String> values = upgrade.getHeaderValues(name);
            if (values != null) {
                kept.put(name, List.copyOf(values));
            }
        }
        return kept;
    }

    @Override
    public Object getContextAttribute(String name) {
        return context.getAttribute(name);
    }
}
