package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import io.gridpush.security.Identity;
import jakarta.inject.Inject;

/** Who sent the request being handled (a Bayeux message, an HTTP request): one instance per request, built from the scope's seeds. */
@RequestScoped
public final class Caller {
    private final Identity identity;
    private final Origin origin;

    @Inject
    public Caller(Identity identity, Origin origin) {
        this.identity = identity;
        this.origin = origin;
    }

    public Identity identity() {
        return identity;
    }

    public String clientId() {
        return origin.clientId();
    }

    /** "websocket", "long-polling" or "http". */
    public String transport() {
        return origin.transport();
    }

    public String remoteAddress() {
        return origin.remoteAddress();
    }

    @Override
    public String toString() {
        return identity.name() + "@" + clientId() + "/" + transport() + "/" + remoteAddress();
    }
}
