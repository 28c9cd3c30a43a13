package io.gridpush.testkit;

import io.gridpush.client.GridpushClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cometd.bayeux.Message;

/** Sends what the typed client would never send, and returns the raw Bayeux reply. */
public final class Raw {
    private Raw() {
    }

    /** A remote call to {@code /service/{target}} with arbitrary data. */
    public static Message call(GridpushClient client, String target, Object data) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        client.bayeux().remoteCall(target, data, reply::complete);
        return await(reply);
    }

    /** A publish to any channel; the reply is the publish acknowledgement (or refusal). */
    public static Message publish(GridpushClient client, String channel, Object data) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        client.bayeux().getChannel(channel).publish(data, reply::complete);
        return await(reply);
    }

    /** A subscription; the reply is the {@code /meta/subscribe} answer. */
    public static Message subscribe(GridpushClient client, String channel, org.cometd.bayeux.client.ClientSessionChannel.MessageListener listener) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        client.bayeux().getChannel(channel).subscribe(listener, reply::complete);
        return await(reply);
    }

    /** The {@code error} code of a failed call's data. */
    public static Object errorCode(Message reply) {
        Map<String, Object> data = reply.getDataAsMap();
        return data == null ? null : data.get("error");
    }

    private static Message await(CompletableFuture<Message> reply) {
        try {
            return reply.get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception x) {
            throw new AssertionError("no reply within " + Events.WAIT_SECONDS + " s", x);
        }
    }
}
