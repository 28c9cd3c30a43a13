package io.gridpush.protocol;

import java.util.regex.Pattern;

/**
 * The one home of channel names: every {@code /cache/...} and {@code /service/cache/...} name is
 * built and parsed here, on the server and in the Java client alike.
 */
public final class ChannelNames {
    public static final String CACHE_ROOT = "/cache/";
    public static final String SERVICE_ROOT = "/service/";
    /** Remote calls go to {@code /service/cache/{op}}; clients name them {@code cache/{op}}. */
    public static final String OPERATION_PREFIX = "cache/";
    /**
     * The in-band token refresh, a remote call: the client sends {@code {token}} before its token expires and
     * the gateway swaps the session's identity for the one the new token proves (same {@code sub}).
     */
    public static final String TOKEN_REFRESH_TARGET = "auth/token";
    public static final String TOKEN_REFRESH_CHANNEL = SERVICE_ROOT + TOKEN_REFRESH_TARGET;
    private static final Pattern CACHE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ChannelNames() {
    }

    public static boolean isValidCacheName(String cache) {
        return cache != null && CACHE_NAME.matcher(cache).matches();
    }

    /** {@code /cache/{cache}/{segment}}: the events of one key. */
    public static String keyChannel(String cache, String key) {
        return CACHE_ROOT + requireCacheName(cache) + "/" + KeySegments.encode(key);
    }

    /** {@code /cache/{cache}/*}: the events of every key of one cache. */
    public static String cacheChannel(String cache) {
        return CACHE_ROOT + requireCacheName(cache) + "/*";
    }

    /**
     * {@code /cache/{cache}/$}: where {@code snapshot-end} is delivered. It matches the cache's wildcard, so
     * wildcard subscribers receive it exactly once, but no key has it: a key segment never holds a bare
     * {@code $}. (Delivering on the wildcard channel itself would reach the CometD JavaScript client's
     * listeners twice, as it notifies both exact and wildcard listeners under that name.)
     */
    public static String snapshotEndChannel(String cache) {
        return CACHE_ROOT + requireCacheName(cache) + "/$";
    }

    /** The cache of a {@link #snapshotEndChannel} name, or null when {@code channel} is not one. */
    public static String cacheOfSnapshotEndChannel(String channel) {
        if (!channel.startsWith(CACHE_ROOT) || !channel.endsWith("/$")) {
            return null;
        }
        String cache = channel.substring(CACHE_ROOT.length(), channel.length() - 2);
        return isValidCacheName(cache) ? cache : null;
    }

    /** The remote-call target of an operation, as passed to {@code remoteCall}. */
    public static String operationTarget(String op) {
        return OPERATION_PREFIX + op;
    }

    public static boolean isCacheChannel(String channel) {
        return channel.startsWith(CACHE_ROOT) || channel.equals("/cache");
    }

    /**
     * Parses a channel under {@code /cache/}. Throws {@link BadChannelException} when the name is
     * malformed, and returns a {@link CacheChannel} whose {@code key} is null for the whole-cache wildcard.
     * Deeper or wider wildcards ({@code /cache/*}, {@code /cache/**}, {@code /cache/x/**}) are not
     * channels of the contract: they come back as {@link CacheChannel#denied()}.
     */
    public static CacheChannel parse(String channel) {
        if (!channel.startsWith(CACHE_ROOT)) {
            throw new BadChannelException(channel + " is not under " + CACHE_ROOT);
        }
        String rest = channel.substring(CACHE_ROOT.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            if (rest.equals("*") || rest.equals("**")) {
                return CacheChannel.DENIED;
            }
            throw new BadChannelException(channel + " has no key segment");
        }
        String cache = rest.substring(0, slash);
        String segment = rest.substring(slash + 1);
        if (cache.equals("*") || cache.equals("**")) {
            return CacheChannel.DENIED;
        }
        if (!isValidCacheName(cache)) {
            throw new BadChannelException("'" + cache + "' is not a valid cache name");
        }
        if (segment.equals("*")) {
            return new CacheChannel(cache, null);
        }
        if (segment.equals("**")) {
            return CacheChannel.DENIED;
        }
        if (segment.indexOf('/') >= 0) {
            throw new BadChannelException(channel + " has more than one key segment");
        }
        try {
            return new CacheChannel(cache, KeySegments.decode(segment));
        } catch (IllegalArgumentException x) {
            throw new BadChannelException("bad key segment '" + segment + "': " + x.getMessage());
        }
    }

    /** Extracts {@code op} from {@code /service/cache/{op}}, or null if the channel is not an operation channel. */
    public static String operationOf(String channel) {
        String prefix = SERVICE_ROOT + OPERATION_PREFIX;
        if (!channel.startsWith(prefix)) {
            return null;
        }
        String op = channel.substring(prefix.length());
        return op.isEmpty() || op.indexOf('/') >= 0 ? null : op;
    }

    private static String requireCacheName(String cache) {
        if (!isValidCacheName(cache)) {
            throw new IllegalArgumentException("'" + cache + "' is not a valid cache name: use 1-64 of [A-Za-z0-9_-]");
        }
        return cache;
    }

    /** A parsed cache channel; {@code key == null} means the whole cache. */
    public record CacheChannel(String cache, String key) {
        static final CacheChannel DENIED = new CacheChannel(null, null);

        public boolean denied() {
            return cache == null;
        }

        public boolean wildcard() {
            return cache != null && key == null;
        }
    }

    public static final class BadChannelException extends IllegalArgumentException {
        public BadChannelException(String message) {
            super(message);
        }
    }
}
