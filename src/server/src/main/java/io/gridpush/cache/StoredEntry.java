package io.gridpush.cache;

import org.infinispan.protostream.annotations.ProtoFactory;
import org.infinispan.protostream.annotations.ProtoField;
import org.infinispan.protostream.annotations.ProtoTypeId;

/**
 * What gridpush keeps in Infinispan for one key: the value's JSON text, its version, and whether the
 * entry it replaced was live.
 *
 * <p>A removed key keeps a tombstone ({@code json == null}) for a configured lifespan, so that the
 * remove's version lives with the key: a later re-create, on any node, is versioned above it.</p>
 *
 * <p>{@code replacedLive} is decided by the writer, which read the entry it replaces (its compare-and-set
 * proves it). It is what makes an event's type ({@code created}, {@code modified}, {@code removed}) the
 * same on every node: Infinispan's clustered-listener events from a remote primary owner carry no old
 * value, so a listener on another node cannot tell an overwrite from a create, nor a remove from a
 * tombstone over a tombstone, by looking at the event.</p>
 *
 * <p>Marshalled with ProtoStream (see {@link GridpushSchema}) when it leaves the JVM: to other cluster
 * nodes or to a file store. Field 3 is new in 0.3; entries stored before read as {@code false}.</p>
 */
@ProtoTypeId(7401)
public record StoredEntry(@ProtoField(1) String json, @ProtoField(number = 2, defaultValue = "0") long version,
                          @ProtoField(number = 3, defaultValue = "false") boolean replacedLive) {
    @ProtoFactory
    public StoredEntry {
    }

    /** A value written over {@code previous} (null when the key had no entry). */
    public static StoredEntry value(String json, long version, StoredEntry previous) {
        return new StoredEntry(json, version, isLive(previous));
    }

    /** The tombstone of a live entry that is removed. */
    public static StoredEntry tombstone(long version) {
        return new StoredEntry(null, version, true);
    }

    public boolean isLive() {
        return json != null;
    }

    /**
     * The version the key's next write must exceed: that of the entry, live or a tombstone (a re-create
     * after a remove is versioned above the remove), or -1 when the key has no entry at all.
     */
    public static long versionOf(StoredEntry entry) {
        return entry == null ? -1 : entry.version;
    }

    public static boolean isLive(StoredEntry entry) {
        return entry != null && entry.isLive();
    }
}
