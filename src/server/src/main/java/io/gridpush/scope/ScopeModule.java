package io.gridpush.scope;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.servlet.RequestScoped;
import com.google.inject.servlet.ServletScopes;
import io.gridpush.security.Identity;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * Binds the request scope shared by Bayeux messages ({@link MessageScope}) and HTTP API requests
 * (GuiceFilter, with {@link HttpSeeds}): {@link RequestScoped} is Guice's servlet request scope. The
 * Bayeux-only keys are bound to providers that explain the mistake if one is injected outside a message;
 * the {@link Identity} and {@link Origin} every request has come from either kind of seed.
 */
public final class ScopeModule extends AbstractModule {
    @Override
    protected void configure() {
        bindScope(RequestScoped.class, ServletScopes.REQUEST);
        bind(ServerSession.class).toProvider(seededOnly(ServerSession.class)).in(RequestScoped.class);
        bind(ServerMessage.class).toProvider(seededOnly(ServerMessage.class)).in(RequestScoped.class);
        bind(Identity.class).toProvider(HttpSeeds.of(Identity.class)).in(RequestScoped.class);
        bind(Origin.class).toProvider(HttpSeeds.of(Origin.class)).in(RequestScoped.class);
    }

    private static <T> Provider<T> seededOnly(Class<T> type) {
        return () -> {
            throw new IllegalStateException(type.getSimpleName() + " is seeded by MessageScope; inject it only in " +
                "code that runs while a Bayeux message is handled (MessageScope.run)");
        };
    }
}
