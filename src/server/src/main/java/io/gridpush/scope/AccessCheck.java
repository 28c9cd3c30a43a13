package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import io.gridpush.security.AccessRules;
import io.gridpush.security.Right;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * The current {@link Caller}'s rights for the message being handled, as {@link AccessRules} decides them,
 * turned into the contract's errors.
 */
@RequestScoped
public final class AccessCheck {
    private final Caller caller;
    private final AccessRules rules;

    @Inject
    public AccessCheck(Caller caller, AccessRules rules) {
        this.caller = caller;
        this.rules = rules;
    }

    /**
     * Throws {@code unknown_cache} or {@code forbidden} unless the caller holds {@code right} on at least
     * some keys of {@code cache} (on which keys: {@link #require(String, String, Right)}, {@link #mayRead}).
     */
    public void requireSome(String cache, Right right) {
        refuse(rules.checkSome(caller.identity(), cache, right), cache, right, "cache '" + cache + "'");
    }

    /** Throws {@code unknown_cache} or {@code forbidden} unless the caller holds {@code right} on {@code key} of {@code cache}. */
    public void require(String cache, String key, Right right) {
        refuse(rules.check(caller.identity(), cache, key, right), cache, right, "key '" + key + "' of cache '" + cache + "'");
    }

    /** Whether the caller may read {@code key} of {@code cache}: what a page of entries holds. */
    public boolean mayRead(String cache, String key) {
        return rules.mayRead(caller.identity(), cache, key);
    }

    private void refuse(ErrorCode denied, String cache, Right right, String what) {
        if (denied == ErrorCode.UNKNOWN_CACHE) {
            throw new GridpushException(denied, "cache '" + cache + "' is not exposed");
        }
        if (denied != null) {
            throw new GridpushException(denied, caller.identity().name() + " may not " + verb(right) + " " + what);
        }
    }

    /** The caller this check ran for: the same instance as every other use of {@link Caller} in this message. */
    public Caller caller() {
        return caller;
    }

    private static String verb(Right right) {
        return right.name().toLowerCase(Locale.ROOT);
    }
}
