package io.gridpush.security;

import java.util.Map;
import java.util.Set;

/**
 * Who a session proved to be at handshake, kept as a {@code ServerSession} attribute. {@code grants} are
 * per-cache rights carried by the credential itself (a JWT's rights claim), on top of the configured ones.
 */
public record Identity(String name, Map<String, Set<Right>> grants) {
    public static final Identity ANONYMOUS = new Identity("anonymous");
    /** The session attribute that holds a handshaken session's identity. */
    public static final String ATTRIBUTE = Identity.class.getName();

    public Identity {
        grants = Map.copyOf(grants);
    }

    public Identity(String name) {
        this(name, Map.of());
    }

    public boolean granted(String cache, Right right) {
        Set<Right> rights = grants.get(cache);
        return rights != null && rights.contains(right);
    }
}
