package io.gridpush.protocol;

/** The seven remote calls, named as on the wire ({@code /service/cache/{op}}). */
public enum Operation {
    GET("get", false), GET_ALL("getAll", false), PUT("put", true), PUT_IF_ABSENT("putIfAbsent", true),
    REPLACE("replace", true), REMOVE("remove", true), ENTRIES("entries", false);

    /** At most this many keys in one {@code getAll}. */
    public static final int MAX_GET_ALL_KEYS = 1000;
    /** At most this many entries in one {@code entries} page, and the default page size. */
    public static final int MAX_PAGE = 1000;
    public static final int DEFAULT_PAGE = 100;

    private final String wire;
    private final boolean write;

    Operation(String wire, boolean write) {
        this.wire = wire;
        this.write = write;
    }

    public String wire() {
        return wire;
    }

    public boolean isWrite() {
        return write;
    }

    /** The operation of a wire name, or null when there is none. */
    public static Operation fromWire(String op) {
        for (Operation value : values()) {
            if (value.wire.equals(op)) {
                return value;
            }
        }
        return null;
    }
}
