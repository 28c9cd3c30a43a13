package io.gridpush.scope;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.servlet.RequestScoped;
import com.google.inject.servlet.ServletScopes;
import io.gridpush.security.Identity;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Binds the per-message request scope. There is no GuiceFilter (no HTTP request scope to reuse), so the
 * module binds {@link RequestScoped} itself, and the seeded keys to providers that explain the mistake
 * if one is injected outside a message.
 */
public final class ScopeModule extends AbstractModule {
    @Override
    protected void configure() {
        bindScope(RequestScoped.class, ServletScopes.REQUEST);
        bind(ServerSession.class).toProvider(seededOnly(ServerSession.class)).in(RequestScoped.class);
        bind(ServerMessage.class).toProvider(seededOnly(ServerMessage.class)).in(RequestScoped.class);
        bind(Identity.class).toProvider(seededOnly(Identity.class)).in(RequestScoped.class);
    }

    private static <T> Provider<T> seededOnly(Class<T> type) {
        return () -> {
            throw new IllegalStateException(type.getSimpleName() + " is seeded by MessageScope; inject it only in " +
                "code that runs while a Bayeux message is handled (MessageScope.run)");
        };
    }
}
