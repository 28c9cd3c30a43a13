package io.gridpush.scope;

/**
 * Where a request came from: the Bayeux session id (or {@code "http"}), the transport ({@code websocket},
 * {@code long-polling} or {@code http}) and the client's address. Seeded into the request scope by
 * whoever opened it: {@link MessageScope} for a Bayeux message, the HTTP API for its requests.
 */
public record Origin(String clientId, String transport, String remoteAddress) {
}
