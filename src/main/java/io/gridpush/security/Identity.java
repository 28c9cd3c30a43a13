package io.gridpush.security;

/** Who a session proved to be at handshake. Kept as a {@code ServerSession} attribute. */
public record Identity(String name) {
    public static final Identity ANONYMOUS = new Identity("anonymous");
    /** The session attribute that holds a handshaken session's identity. */
    public static final String ATTRIBUTE = Identity.class.getName();
}
