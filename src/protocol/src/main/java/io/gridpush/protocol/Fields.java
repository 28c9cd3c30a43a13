package io.gridpush.protocol;

/** Field names of requests, replies and events, as written in the contract. */
public final class Fields {
    public static final String CACHE = "cache";
    public static final String KEY = "key";
    public static final String KEYS = "keys";
    public static final String VALUE = "value";
    public static final String VERSION = "version";
    public static final String TYPE = "type";
    public static final String FOUND = "found";
    public static final String COUNT = "count";
    public static final String TRUNCATED = "truncated";
    public static final String ENTRIES = "entries";
    public static final String NEXT = "next";
    public static final String AFTER = "after";
    public static final String LIMIT = "limit";
    public static final String PREVIOUS = "previous";
    public static final String STORED = "stored";
    public static final String REPLACED = "replaced";
    public static final String REMOVED = "removed";
    public static final String IF_VERSION = "ifVersion";
    public static final String LIFESPAN_MS = "lifespanMs";
    public static final String MAX_IDLE_MS = "maxIdleMs";
    public static final String ERROR = "error";
    public static final String MESSAGE = "message";
    /** Handshake {@code ext.auth.token}. */
    public static final String EXT_AUTH = "auth";
    public static final String TOKEN = "token";
    /** Token refresh reply: when the session's new identity expires, in ms since the epoch (absent: never). */
    public static final String EXPIRES_AT = "expiresAt";

    private Fields() {
    }
}
