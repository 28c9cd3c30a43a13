package io.gridpush.bayeux;

import io.gridpush.bayeux.StrictJsonContext.RefusedInput;
import io.gridpush.security.HandshakeRate.TooManyHandshakes;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one home of what a failure at the transport edge becomes on the wire: an HTTP status below 500
 * or a WebSocket close code other than 1011, with a plain reason. Bad input is the client's; a slow or
 * aborted body is the client's (408 or 400); a throttled handshake is 429 / 1013; anything else is
 * logged with a correlation id that the answer carries.
 */
public final class EdgeFailures {
    /** WebSocket close codes (RFC 6455): the message broke the rules; come back later. */
    static final int POLICY_VIOLATION = 1008;
    static final int TRY_AGAIN_LATER = 1013;
    private static final Logger LOG = LoggerFactory.getLogger(EdgeFailures.class);

    private EdgeFailures() {
    }

    /** What to answer; {@code status} for HTTP, {@code closeCode} for WebSocket. */
    public record Answer(int status, int closeCode, String reason) {
    }

    public static Answer answer(Throwable failure, Object from) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RefusedInput refused) {
                BadInputLog.refused(refused.getMessage(), from);
                return new Answer(HttpStatus.BAD_REQUEST_400, POLICY_VIOLATION, refused.getMessage());
            }
            if (cause instanceof TooManyHandshakes throttled) {
                BadInputLog.refused(throttled.getMessage(), from);
                return new Answer(HttpStatus.TOO_MANY_REQUESTS_429, TRY_AGAIN_LATER, throttled.getMessage());
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.cometd.server.HttpException http && http.getCode() < 500) {
                return readFailure(http.getCode(), from);
            }
            if (cause instanceof HttpException http && http.getCode() < 500) {
                return readFailure(http.getCode(), from);
            }
            if (cause instanceof TimeoutException) {
                return readFailure(HttpStatus.REQUEST_TIMEOUT_408, from);
            }
        }
        if (failure instanceof IOException io) {
            // CometD reports a body over limits.messageBytes (sent chunked, so no length to check first) this way.
            boolean tooLarge = String.valueOf(io.getMessage()).contains("Max message size");
            return readFailure(tooLarge ? HttpStatus.PAYLOAD_TOO_LARGE_413 : HttpStatus.BAD_REQUEST_400, from);
        }
        String correlation = UUID.randomUUID().toString();
        LOG.warn("Unexpected failure {} handling input from {}", correlation, from, failure);
        return new Answer(HttpStatus.BAD_REQUEST_400, POLICY_VIOLATION, "message refused, correlation id " + correlation);
    }

    private static Answer readFailure(int status, Object from) {
        String reason = switch (status) {
            case HttpStatus.REQUEST_TIMEOUT_408 -> "the request arrived too slowly";
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "the message is over the size limit";
            default -> "the request could not be read (" + HttpStatus.getMessage(status) + ")";
        };
        BadInputLog.refused(reason, from);
        return new Answer(status, POLICY_VIOLATION, reason);
    }

    /** A WebSocket close reason holds at most 123 bytes. */
    static String closeReason(String reason) {
        String plain = BadInputLog.oneLine(reason).replaceAll("[^ -~]", "?");
        return plain.length() <= 120 ? plain : plain.substring(0, 117) + "...";
    }
}
