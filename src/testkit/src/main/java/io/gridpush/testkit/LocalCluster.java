package io.gridpush.testkit;

import io.gridpush.cache.InfinispanService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.infinispan.manager.EmbeddedCacheManager;

/**
 * Gateway nodes in this JVM that form one Infinispan cluster over JGroups TCP on loopback, with a cluster
 * name of their own (so no other test's nodes join) and the shipped config/infinispan-cluster.xml.
 * Nodes can be stopped gracefully and started again; {@link Partitions} splits them for real.
 */
public final class LocalCluster implements AutoCloseable {
    private final String name = "test-" + UUID.randomUUID();
    private final Map<String, String> overrides;
    private final List<TestGateway> nodes = new ArrayList<>();

    public LocalCluster(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    /** Starts {@code count} nodes and waits (bounded) until they are one cluster with no rebalance under way. */
    public LocalCluster start(int count) {
        for (int i = 0; i < count; ++i) {
            nodes.add(newNode());
        }
        awaitSettled(count);
        return this;
    }

    public TestGateway node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    /** Stops node {@code index} gracefully (drain, leave the cluster) and starts a fresh one in its place. */
    public TestGateway restart(int index) throws Exception {
        nodes.get(index).close();
        nodes.set(index, newNode());
        awaitSettled(nodes.size());
        return nodes.get(index);
    }

    /** Adds one more node. */
    public TestGateway add() {
        TestGateway node = newNode();
        nodes.add(node);
        awaitSettled(nodes.size());
        return node;
    }

    /** Stops node {@code index} gracefully and removes it. */
    public void remove(int index) throws Exception {
        nodes.remove(index).close();
        awaitSettled(nodes.size());
    }

    public static EmbeddedCacheManager manager(TestGateway node) {
        return node.gateway().injector().getInstance(InfinispanService.class).manager();
    }

    /** Waits until every node sees {@code members} members and serves (/health would say 200). */
    public void awaitSettled(int members) {
        Awaitility.await("a settled cluster of " + members).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
            .until(() -> nodes.stream().allMatch(node -> manager(node).getMembers().size() == members
                && node.gateway().injector().getInstance(InfinispanService.class).serving()
                && !manager(node).getCache("default").getAdvancedCache().getDistributionManager().isRehashInProgress()));
    }

    private TestGateway newNode() {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("infinispan.config", "embedded:infinispan-cluster.xml");
        settings.put("cluster.name", name);
        settings.put("cluster.members", "127.0.0.1[7800]");
        settings.put("cluster.stateTransferTimeout", "30s");
        settings.putIfAbsent("demo.feeder", "false");
        return TestGateway.start(settings);
    }

    @Override
    public void close() throws Exception {
        for (TestGateway node : nodes) {
            node.close();
        }
        nodes.clear();
    }
}
