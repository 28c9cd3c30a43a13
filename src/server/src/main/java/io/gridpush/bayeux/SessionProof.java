package io.gridpush.bayeux;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;

/**
 * A secret per session, given in the successful handshake reply ({@code ext.gridpush.proof}), with which a
 * long-polling client proves its session when the {@code BAYEUX_BROWSER} cookie does not come back: a page
 * on another site, where the browser treats the gateway's cookie as a third-party cookie (SameSite=Lax, or
 * blocked). It keeps CometD's protection against hijacking: a clientId alone, learnt from a log or a proxy,
 * does not open the session; the secret travels only in the handshake reply and the client's own requests.
 *
 * <p>Runs on the thread that sends the handshake reply (a Jetty thread of the request).</p>
 */
public final class SessionProof implements BayeuxServer.Extension {
    /** Field of the handshake reply's and the client's {@code ext}; holds {@code {proof}}. */
    public static final String EXT = "gridpush";
    public static final String PROOF = "proof";
    private static final String ATTRIBUTE = SessionProof.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public boolean sendMeta(ServerSession session, ServerMessage.Mutable message) {
        if (session != null && Channel.META_HANDSHAKE.equals(message.getChannel()) && message.isSuccessful()) {
            byte[] secret = new byte[32];
            RANDOM.nextBytes(secret);
            String proof = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            session.setAttribute(ATTRIBUTE, proof);
            message.getExt(true).put(EXT, Map.of(PROOF, proof));
        }
        return true;
    }

    /** Whether {@code message} carries the secret given to {@code session} (compared in constant time). */
    public static boolean proves(ServerSession session, ServerMessage message) {
        if (session == null || !(session.getAttribute(ATTRIBUTE) instanceof String expected)) {
            return false;
        }
        Map<String, Object> ext = message.getExt();
        if (ext == null || !(ext.get(EXT) instanceof Map<?, ?> fields) || !(fields.get(PROOF) instanceof String given)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
