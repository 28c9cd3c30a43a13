package io.gridpush.client;

/**
 * Told of every change of a {@link GridpushClient}'s connection, for a status indicator or an alert:
 * {@code CONNECTED} (again), {@code DISCONNECTED} (lost; the client reconnects by itself, with back-off,
 * and re-syncs every watch), {@code CLOSED} (for good: {@link GridpushClient#close} or a handshake the
 * gateway refused, for example an unknown or expired token).
 *
 * <p>Threads: called on CometD's client threads, one change at a time; it must not block.</p>
 */
@FunctionalInterface
public interface ConnectionListener {
    void onStatus(Status status, String reason);

    enum Status { CONNECTED, DISCONNECTED, CLOSED }
}
