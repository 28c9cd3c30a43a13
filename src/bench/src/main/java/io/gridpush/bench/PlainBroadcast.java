package io.gridpush.bench;

import io.gridpush.client.GridpushClient;
import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;

/**
 * The baseline of {@code fanout --baseline}: plain CometD broadcast. The writer publishes each payload over
 * the network, as it would a put, to {@code /service/bench/broadcast}; a bench-only extension in the
 * in-process gateway turns it into an event-shaped message on the key channel, with no cache, no listener,
 * no event lanes and no request scope. So the same subscribers measure what CometD's fan-out costs on this
 * machine, and the difference to a normal run is what the cache path costs. It lives as long as the
 * in-process gateway it is added to.
 *
 * <p>Threads: {@link #publish} on the benchmark's writer thread; the relay on Jetty's request threads.</p>
 */
final class PlainBroadcast implements BayeuxServer.Extension {
    static final String CHANNEL = ChannelNames.SERVICE_ROOT + "bench/broadcast";
    private final BayeuxServerImpl bayeux;
    private final LocalSession sender;
    // Versions above anything the gateway's clock issued in this run, increasing, so clients apply every one.
    private final AtomicLong version = new AtomicLong(1L << 52);

    PlainBroadcast(BayeuxServerImpl bayeux) {
        this.bayeux = bayeux;
        this.sender = bayeux.newLocalSession("bench-baseline");
        sender.handshake();
        bayeux.addExtension(this);
    }

    /** Sends one payload from the writer's connection, like a put. */
    void publish(GridpushClient writer, String cache, String key, Map<String, Object> value) {
        Map<String, Object> data = new HashMap<>(4);
        data.put(Fields.CACHE, cache);
        data.put(Fields.KEY, key);
        data.put(Fields.VALUE, value);
        writer.bayeux().getChannel(CHANNEL).publish(data);
    }

    /** Relays a writer's payload onto its key channel and drops the original (no reply is needed). */
    @Override
    public boolean rcv(ServerSession from, ServerMessage.Mutable message) {
        if (!CHANNEL.equals(message.getChannel()) || !(message.getData() instanceof Map<?, ?> in)) {
            return true;
        }
        String cache = (String)in.get(Fields.CACHE);
        String key = (String)in.get(Fields.KEY);
        Map<String, Object> data = new HashMap<>(8);
        data.put(Fields.CACHE, cache);
        data.put(Fields.KEY, key);
        data.put(Fields.TYPE, EventType.MODIFIED.wire());
        data.put(Fields.VALUE, in.get(Fields.VALUE));
        data.put(Fields.VERSION, version.incrementAndGet());
        bayeux.createChannelIfAbsent(ChannelNames.keyChannel(cache, key)).getReference().publish(sender.getServerSession(), data, Promise.noop());
        return false;
    }
}
