package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.security.CacheRights;
import io.gridpush.security.Right;
import jakarta.inject.Inject;

/** Checks the current {@link Caller}'s rights on a cache for the message being handled. */
@RequestScoped
public final class AccessCheck {
    private final Caller caller;
    private final CacheRights rights;

    @Inject
    public AccessCheck(Caller caller, CacheRights rights) {
        this.caller = caller;
        this.rights = rights;
    }

    /** Throws {@code unknown_cache} or {@code forbidden} unless the caller holds {@code right} on {@code cache}. */
    public void require(String cache, Right right) {
        ErrorCode denied = rights.check(caller.identity(), cache, right);
        if (denied == ErrorCode.UNKNOWN_CACHE) {
            throw new GridpushException(denied, "cache '" + cache + "' is not exposed");
        }
        if (denied != null) {
            throw new GridpushException(denied, caller.identity().name() + " may not " +
                right.name().toLowerCase(java.util.Locale.ROOT) + " cache '" + cache + "'");
        }
    }

    /** The caller this check ran for: the same instance as every other use of {@link Caller} in this message. */
    public Caller caller() {
        return caller;
    }
}
