package io.gridpush.server;

import io.gridpush.config.AddressRange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * {@code http.trustedProxies}: a request whose peer is one of these addresses (or ranges) gets the
 * client address the proxy forwarded as its remote address, before any handler reads it, so the
 * session limits, the handshake rate and the audit all see the client, not the balancer. From any other
 * peer, {@code Forwarded} and {@code X-Forwarded-For} are ignored: anyone could send them.
 *
 * <p>The client is the right-most forwarded address that is not itself a trusted proxy: a proxy appends
 * what it saw, and whatever a client wrote further left is its own claim. (Jetty's
 * {@code ForwardedRequestCustomizer} trusts every peer and takes the left-most.)</p>
 *
 * <p>Threads: Jetty's, once per request, before the handlers.</p>
 */
final class TrustedProxies implements HttpConfiguration.Customizer {
    private final List<AddressRange> trusted;

    TrustedProxies(List<String> ranges) {
        trusted = ranges.stream().map(AddressRange::parse).toList();
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (trusted.isEmpty() || !(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
            || !isTrusted(peer.getAddress())) {
            return request;
        }
        InetAddress client = client(forwarded(request.getHeaders()));
        if (client == null) {
            return request;
        }
        InetSocketAddress remote = new InetSocketAddress(client, 0);
        ConnectionMetaData connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return remote;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return connection;
            }
        };
    }

    /** The right-most address that is not a trusted proxy, or null if there is none (or garbage stands in the way). */
    private InetAddress client(List<String> hops) {
        InetAddress client = null;
        for (int i = hops.size() - 1; i >= 0; --i) {
            InetAddress hop = AddressRange.literal(hops.get(i));
            if (hop == null) {
                return client;
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The forwarded-for hops in order: {@code Forwarded: for=...} when present, else {@code X-Forwarded-For}. */
    private static List<String> forwarded(HttpFields headers) {
        List<String> hops = new ArrayList<>();
        for (HttpField field : headers.getFields(HttpHeader.FORWARDED)) {
            for (String element : field.getValue().split(",")) {
                for (String pair : element.split(";")) {
                    String[] nameValue = pair.trim().split("=", 2);
                    if (nameValue.length == 2 && nameValue[0].trim().equalsIgnoreCase("for")) {
                        hops.add(stripPort(nameValue[1].trim().replace("\"", "")));
                    }
                }
            }
        }
        if (!hops.isEmpty()) {
            return hops;
        }
        for (HttpField field : headers.getFields(HttpHeader.X_FORWARDED_FOR)) {
            for (String hop : field.getValue().split(",")) {
                hops.add(stripPort(hop.trim()));
            }
        }
        return hops;
    }

    /** {@code [v6]:port}, {@code [v6]} and {@code v4:port} to the bare address. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }
}
