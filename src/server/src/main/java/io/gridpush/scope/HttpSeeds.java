package io.gridpush.scope;

import com.google.inject.OutOfScopeException;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The seeds of an HTTP request's scope. Guice's servlet request scope (GuiceFilter) has no seed map, so
 * the code that authenticated the request leaves the {@link Identity} and {@link Origin} on the request
 * before any request-scoped service is built, and the bindings read them back from there. A Bayeux
 * message's scope is seeded directly ({@link MessageScope}); these providers never run for it.
 */
public final class HttpSeeds {
    private static final String IDENTITY = Identity.class.getName();
    private static final String ORIGIN = Origin.class.getName();

    private HttpSeeds() {
    }

    /** Seeds {@code request}'s scope; call before anything request-scoped is injected for it. */
    public static void seed(HttpServletRequest request, Identity identity, Origin origin) {
        request.setAttribute(IDENTITY, identity);
        request.setAttribute(ORIGIN, origin);
    }

    static <T> Provider<T> of(Class<T> type) {
        return new Seed<>(type, type.getName());
    }

    private static final class Seed<T> implements Provider<T> {
        private final Class<T> type;
        private final String attribute;
        @Inject
        private Provider<HttpServletRequest> request;

        Seed(Class<T> type, String attribute) {
            this.type = type;
            this.attribute = attribute;
        }

        @Override
        public T get() {
            Object seeded;
            try {
                seeded = request.get().getAttribute(attribute);
            } catch (OutOfScopeException x) {
                seeded = null;
            }
            if (!type.isInstance(seeded)) {
                throw new IllegalStateException(type.getSimpleName() + " is seeded by MessageScope (a Bayeux message) or HttpSeeds.seed " +
                    "(an HTTP API request); inject it only in code that runs while one of them is handled");
            }
            return type.cast(seeded);
        }
    }
}
