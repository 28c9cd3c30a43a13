package io.gridpush.security;

import static io.gridpush.protocol.BayeuxErrors.BAD_CHANNEL;
import static io.gridpush.protocol.BayeuxErrors.SUBSCRIBE_DENIED;

import io.gridpush.config.GatewayConfig;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.ChannelNames.BadChannelException;
import io.gridpush.protocol.ChannelNames.CacheChannel;
import io.gridpush.protocol.ErrorCode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * The one home of the access rules after the handshake: which identity may read or write which cache and
 * which key, and which channels a client may subscribe or publish to. Used by the channel guard
 * (subscriptions, and each key a wildcard subscription delivers), by the request-scoped access check
 * (operations) and by the snapshot of a wildcard subscription. The handshake itself is decided by
 * {@link HandshakePolicy}.
 *
 * <p>An identity holds a right on a key when it holds it on the whole cache ({@code caches.<c>.read/write}
 * or the JWT's per-cache grant), or when a per-key rule ({@code caches.<c>.keys}, or a JWT entry
 * {@code "c/pattern"}) that matches the key gives it. Rights only add up; nothing denies what another rule
 * gives. Thread-safe: the rules are immutable.</p>
 */
@Singleton
public final class AccessRules {
    private final GatewayConfig config;

    @Inject
    public AccessRules(GatewayConfig config) {
        this.config = config;
    }

    /** {@code right} on the whole cache: null when held, else {@code unknown_cache} or {@code forbidden}. */
    public ErrorCode check(Identity identity, String cache, Right right) {
        GatewayConfig.CacheAccess access = access(cache);
        if (access == null) {
            return ErrorCode.UNKNOWN_CACHE;
        }
        return wholeCache(identity, cache, access, right) ? null : ErrorCode.FORBIDDEN;
    }

    /** {@code right} on one key: null when held, else {@code unknown_cache} or {@code forbidden}. */
    public ErrorCode check(Identity identity, String cache, String key, Right right) {
        GatewayConfig.CacheAccess access = access(cache);
        if (access == null) {
            return ErrorCode.UNKNOWN_CACHE;
        }
        return wholeCache(identity, cache, access, right) || byKey(identity, cache, access, key, right) ? null : ErrorCode.FORBIDDEN;
    }

    /**
     * {@code right} on at least some keys (a wildcard subscription, a page of entries: they then hold only
     * the keys {@link #check(Identity, String, String, Right)} allows): null, {@code unknown_cache} or
     * {@code forbidden}.
     */
    public ErrorCode checkSome(Identity identity, String cache, Right right) {
        GatewayConfig.CacheAccess access = access(cache);
        if (access == null) {
            return ErrorCode.UNKNOWN_CACHE;
        }
        if (wholeCache(identity, cache, access, right)) {
            return null;
        }
        boolean someRule = access.keys().stream().anyMatch(rule -> names(rule, right, identity.name()))
            || identity.keyGrants().stream().anyMatch(grant -> grant.right() == right && grant.cache().equals(cache));
        return someRule ? null : ErrorCode.FORBIDDEN;
    }

    /** Whether {@code identity} may read {@code key} of {@code cache}: what a page, a snapshot or a delivery may hold. */
    public boolean mayRead(Identity identity, String cache, String key) {
        return check(identity, cache, key, Right.READ) == null;
    }

    /** Whether some exposed cache is readable by {@code identity} only in part: what it receives must be filtered by key. */
    public boolean readsSomeKeysOnly(Identity identity) {
        return config.caches().keySet().stream()
            .anyMatch(cache -> !readsAll(identity, cache) && checkSome(identity, cache, Right.READ) == null);
    }

    /** Whether {@code identity} may read every key of {@code cache}: then nothing it receives needs a per-key check. */
    private boolean readsAll(Identity identity, String cache) {
        return check(identity, cache, Right.READ) == null;
    }

    /**
     * The refusal of a subscription, or null when allowed: only {@code /cache/{cache}/{segment}} and
     * {@code /cache/{cache}/*} of a cache the identity may read (some keys of, for the wildcard). The
     * answer is a Bayeux error string of the contract.
     */
    public String subscribeError(Identity identity, String subscription) {
        if (!ChannelNames.isCacheChannel(subscription)) {
            return SUBSCRIBE_DENIED;
        }
        CacheChannel channel;
        try {
            channel = ChannelNames.parse(subscription);
        } catch (BadChannelException x) {
            return BAD_CHANNEL;
        }
        if (channel.denied()) {
            return SUBSCRIBE_DENIED;
        }
        ErrorCode denied = channel.wildcard() ? checkSome(identity, channel.cache(), Right.READ)
            : check(identity, channel.cache(), channel.key(), Right.READ);
        return denied == null ? null : SUBSCRIBE_DENIED;
    }

    /** Clients publish only remote calls ({@code /service/**}); only the gateway publishes on {@code /cache/**}. */
    public boolean mayPublish(String channel) {
        return channel.startsWith(ChannelNames.SERVICE_ROOT);
    }

    private GatewayConfig.CacheAccess access(String cache) {
        return cache == null ? null : config.caches().get(cache);
    }

    private static boolean wholeCache(Identity identity, String cache, GatewayConfig.CacheAccess access, Right right) {
        return identity.granted(cache, right) || (right == Right.READ ? access.canRead(identity.name()) : access.canWrite(identity.name()));
    }

    private static boolean byKey(Identity identity, String cache, GatewayConfig.CacheAccess access, String key, Right right) {
        for (GatewayConfig.KeyAccess rule : access.keys()) {
            if (names(rule, right, identity.name()) && rule.pattern().matches(key, identity.name())) {
                return true;
            }
        }
        for (Identity.KeyGrant grant : identity.keyGrants()) {
            if (grant.right() == right && grant.cache().equals(cache) && grant.pattern().matches(key, identity.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean names(GatewayConfig.KeyAccess rule, Right right, String identity) {
        Set<String> who = right == Right.READ ? rule.read() : rule.write();
        return who.contains(GatewayConfig.CacheAccess.EVERYONE) || who.contains(identity);
    }
}
