package io.gridpush.security;

import io.gridpush.config.GatewayConfig;
import io.gridpush.protocol.ErrorCode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The one home of the rights rule: which identity may read or write which exposed cache. Used for
 * subscriptions (by the channel guard) and for operations (by the request-scoped access check).
 */
@Singleton
public final class CacheRights {
    private final GatewayConfig config;

    @Inject
    public CacheRights(GatewayConfig config) {
        this.config = config;
    }

    /** Returns null when allowed, else the contract's reason: {@code unknown_cache} or {@code forbidden}. */
    public ErrorCode check(Identity identity, String cache, Right right) {
        GatewayConfig.CacheAccess access = cache == null ? null : config.caches().get(cache);
        if (access == null) {
            return ErrorCode.UNKNOWN_CACHE;
        }
        boolean allowed = identity.granted(cache, right) ||
            (right == Right.READ ? access.canRead(identity.name()) : access.canWrite(identity.name()));
        return allowed ? null : ErrorCode.FORBIDDEN;
    }
}
