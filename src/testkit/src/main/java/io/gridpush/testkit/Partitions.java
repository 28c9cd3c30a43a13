package io.gridpush.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.View;
import org.jgroups.ViewId;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TP;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.stack.ProtocolStack;

/**
 * A real network partition between in-JVM cluster nodes, the way Infinispan's own tests make one: a JGroups
 * {@code DISCARD} protocol on each node drops every message from the other side, and each side installs a
 * view of its own members (what failure detection would do, only without waiting for its timeouts).
 * {@link #heal} stops the discarding and has MERGE3 find the other side, so the views merge as they would
 * after a real partition.
 */
public final class Partitions {
    private Partitions() {
    }

    public static JChannel channel(TestGateway node) {
        Transport transport = GlobalComponentRegistry.componentOf(LocalCluster.manager(node), Transport.class);
        return ((JGroupsTransport)transport).getChannel();
    }

    /** Splits the nodes into {@code sides}; every node must be in exactly one. */
    @SafeVarargs
    public static void split(List<TestGateway>... sides) throws Exception {
        long viewId = 0;
        for (List<TestGateway> side : sides) {
            for (TestGateway node : side) {
                viewId = Math.max(viewId, channel(node).getView().getViewId().getId());
            }
        }
        for (List<TestGateway> side : sides) {
            List<Address> members = addresses(side);
            for (List<TestGateway> other : sides) {
                if (other != side) {
                    for (TestGateway node : side) {
                        discard(node).addIgnoredMembers(addresses(other).toArray(new Address[0]));
                    }
                }
            }
            View view = new View(new ViewId(members.get(0), viewId + 1), members);
            for (TestGateway node : side) {
                ((GMS)channel(node).getProtocolStack().findProtocol(GMS.class)).installView(view);
            }
        }
    }

    /** Lets the sides talk again and waits (bounded) until every node sees all of {@code nodes} in one view. */
    public static void heal(List<TestGateway> nodes) {
        for (TestGateway node : nodes) {
            discard(node).resetIgnoredMembers();
        }
        Awaitility.await("the partitions merge").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (TestGateway node : nodes) {
                MERGE3 merge = (MERGE3)channel(node).getProtocolStack().findProtocol(MERGE3.class);
                merge.sendInfo();
                merge.checkInconsistencies();
            }
            return nodes.stream().allMatch(node -> channel(node).getView().size() == nodes.size());
        });
    }

    private static List<Address> addresses(List<TestGateway> side) {
        List<Address> addresses = new ArrayList<>();
        for (TestGateway node : side) {
            addresses.add(channel(node).getAddress());
        }
        return addresses;
    }

    private static DISCARD discard(TestGateway node) {
        ProtocolStack stack = channel(node).getProtocolStack();
        DISCARD discard = (DISCARD)stack.findProtocol(DISCARD.class);
        if (discard == null) {
            discard = new DISCARD();
            discard.setAddress(channel(node).getAddress());
            try {
                stack.insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
            } catch (Exception x) {
                throw new IllegalStateException("cannot add DISCARD to the JGroups stack", x);
            }
        }
        return discard;
    }
}
