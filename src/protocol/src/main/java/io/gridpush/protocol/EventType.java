package io.gridpush.protocol;

import java.util.Locale;

/** The {@code type} of a cache event. */
public enum EventType {
    CREATED, MODIFIED, REMOVED, EXPIRED, SNAPSHOT, SNAPSHOT_END,
    /** Reserved for "drop your state and re-sync" instructions (issue: delivery under pressure). */
    RESYNC;

    private final String wire = name().toLowerCase(Locale.ROOT).replace('_', '-');

    public String wire() {
        return wire;
    }

    public static EventType fromWire(Object type) {
        for (EventType value : values()) {
            if (value.wire.equals(type)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown event type " + type);
    }

    /** Whether the event says the key has no value afterwards. */
    public boolean isAbsence() {
        return this == REMOVED || this == EXPIRED;
    }
}
