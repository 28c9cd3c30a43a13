package io.gridpush.http;

import com.google.inject.servlet.ServletModule;

/**
 * Binds the HTTP API behind Guice's servlet pipeline: GuiceFilter (added by the Jetty assembly on
 * {@value ApiRoute#ROOT}/*) opens Guice's request scope for each request, so the API's handlers get the
 * same request-scoped services (caller, access check, audit record) as a Bayeux message's.
 */
public final class ApiModule extends ServletModule {
    /** Where the Jetty assembly maps GuiceFilter. */
    public static final String PATHS = ApiRoute.ROOT + "/*";

    @Override
    protected void configureServlets() {
        serve(PATHS).with(ApiServlet.class);
    }
}
