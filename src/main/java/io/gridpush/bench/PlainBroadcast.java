package io.gridpush.bench;

import io.gridpush.protocol.ChannelNames;
import io.gridpush.protocol.EventType;
import io.gridpush.protocol.Fields;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.LocalSession;
import org.cometd.server.BayeuxServerImpl;

/**
 * The baseline of {@code fanout --baseline}: plain CometD broadcast. Publishes event-shaped messages straight
 * onto the key channels of an in-process gateway's Bayeux server, with no cache, no listener and no event
 * lanes, so that the same subscribers measure what CometD's fan-out alone costs on this machine. It favours
 * the baseline: the publish starts in the gateway's process, where a {@code put} first crosses the network.
 *
 * <p>Threads: called by the benchmark's single writer thread.</p>
 */
final class PlainBroadcast {
    private final BayeuxServerImpl bayeux;
    private final LocalSession sender;
    // Versions above anything the gateway's clock issued in this run, increasing, so clients apply every one.
    private final AtomicLong version = new AtomicLong(1L << 52);

    PlainBroadcast(BayeuxServerImpl bayeux) {
        this.bayeux = bayeux;
        this.sender = bayeux.newLocalSession("bench-baseline");
        sender.handshake();
    }

    void publish(String cache, String key, Map<String, Object> value) {
        String channel = ChannelNames.keyChannel(cache, key);
        Map<String, Object> data = new HashMap<>(8);
        data.put(Fields.CACHE, cache);
        data.put(Fields.KEY, key);
        data.put(Fields.TYPE, EventType.MODIFIED.wire());
        data.put(Fields.VALUE, value);
        data.put(Fields.VERSION, version.incrementAndGet());
        bayeux.createChannelIfAbsent(channel).getReference().publish(sender.getServerSession(), data, Promise.noop());
    }
}
