package io.gridpush.security;

import io.gridpush.config.KeyPattern;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who a session proved to be at handshake, kept as a {@code ServerSession} attribute. {@code grants} are
 * per-cache rights and {@code keyGrants} per-key rights carried by the credential itself (a JWT's rights
 * claim), on top of the configured ones; {@link AccessRules} weighs them all. {@code expiresAt} is when the
 * gateway stops honouring the credential (a JWT's {@code exp} plus the allowed clock skew), or null for
 * credentials that never expire (static tokens, anonymous); a live session is cut then ({@code TokenExpiry}).
 */
public record Identity(String name, Map<String, Set<Right>> grants, List<KeyGrant> keyGrants, Instant expiresAt) {
    public static final Identity ANONYMOUS = new Identity("anonymous");
    /** The session attribute that holds a handshaken session's identity. */
    public static final String ATTRIBUTE = Identity.class.getName();

    public Identity {
        grants = Map.copyOf(grants);
        keyGrants = List.copyOf(keyGrants);
    }

    public Identity(String name, Map<String, Set<Right>> grants, List<KeyGrant> keyGrants) {
        this(name, grants, keyGrants, null);
    }

    public Identity(String name, Map<String, Set<Right>> grants) {
        this(name, grants, List.of());
    }

    public Identity(String name) {
        this(name, Map.of());
    }

    /** Whether the credential is no longer honoured at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    boolean granted(String cache, Right right) {
        Set<Right> rights = grants.get(cache);
        return rights != null && rights.contains(right);
    }

    /** {@code right} on the keys of {@code cache} that {@code pattern} matches (with {@code {sub}} this identity). */
    public record KeyGrant(String cache, KeyPattern pattern, Right right) {
    }
}
