package io.gridpush.http;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.jetty.util.component.LifeCycle;

/** What of the HTTP API has a life cycle (its event streams), for the Jetty assembly to start and stop with the server. */
@Singleton
public final class ApiLifeCycle {
    private final EventStreams streams;

    @Inject
    ApiLifeCycle(EventStreams streams) {
        this.streams = streams;
    }

    public LifeCycle component() {
        return streams;
    }
}
