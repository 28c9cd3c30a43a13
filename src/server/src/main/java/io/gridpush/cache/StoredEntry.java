package io.gridpush.cache;

import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoTypeId;

/**
 * What gridpush keeps in Infinispan for one key: the value's JSON text and its version.
 *
 * <p>A removed key keeps a tombstone ({@code json == null}) for a configured lifespan, so that the
 * remove's version lives with the key: a later re-create, on any node, is versioned above it.</p>
 *
 * <p>Marshalled with ProtoStream (see {@link GridpushSchema}) when it leaves the JVM: to other cluster
 * nodes or to a file store.</p>
 */
@ProtoTypeId(7401)
public record StoredEntry(@ProtoField(1) String json, @ProtoField(number = 2, defaultValue = "0") long version) {
    @ProtoFactory
    public StoredEntry {
    }

    public static StoredEntry tombstone(long version) {
        return new StoredEntry(null, version);
    }

    public boolean isLive() {
        return json != null;
    }

    /** The version of a live entry, or -1 when there is none (absent or removed). */
    public static long versionOf(StoredEntry entry) {
        return entry == null ? -1 : entry.version;
    }

    public static boolean isLive(StoredEntry entry) {
        return entry != null && entry.isLive();
    }
}
