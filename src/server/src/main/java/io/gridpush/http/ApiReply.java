package io.gridpush.http;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the HTTP API answers: a status, a JSON body (or none) and headers. The one home of the HTTP
 * statuses of the contract's error codes, and of the few codes only HTTP has ({@link #NOT_FOUND},
 * {@link #PRECONDITION_FAILED}, {@link #METHOD_NOT_ALLOWED}, {@link #UNAUTHORIZED}, {@link #TOKEN_EXPIRED}), all with the
 * contract's error body {@code {error, message}}.
 */
record ApiReply(int status, Object body, Map<String, String> headers) {
    /** No such key (or no such path): 404. */
    static final String NOT_FOUND = "not_found";
    /** {@code If-Match} or {@code If-None-Match} did not hold: 412; nothing was written. */
    static final String PRECONDITION_FAILED = "precondition_failed";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    /** No bearer token where one is required, or one that does not verify: 401. */
    static final String UNAUTHORIZED = "unauthorized";
    /** A bearer token that verified but has expired (401), or an event stream whose token expired (its last event). */
    static final String TOKEN_EXPIRED = "token_expired";

    static ApiReply of(int status, Object body) {
        return new ApiReply(status, body, new LinkedHashMap<>());
    }

    ApiReply with(String header, String value) {
        headers.put(header, value);
        return this;
    }

    /** A contract error, with its HTTP status (and {@code Retry-After} where retrying is the answer). */
    static ApiReply error(ErrorCode code, String message) {
        ApiReply reply = of(status(code), body(code.wire(), message));
        return code == ErrorCode.RATE_LIMITED || code == ErrorCode.UNAVAILABLE ? reply.with("Retry-After", "1") : reply;
    }

    /** An HTTP-only error. */
    static ApiReply error(int status, String error, String message) {
        return of(status, body(error, message));
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST -> 400;
            case FORBIDDEN -> 403;
            case UNKNOWN_CACHE -> 404;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case INTERNAL -> 500;
            case UNAVAILABLE -> 503;
        };
    }

    private static Map<String, Object> body(String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(Fields.ERROR, error);
        body.put(Fields.MESSAGE, message);
        return body;
    }
}
