package io.gridpush.http;

import io.gridpush.bayeux.EdgeFailures;
import io.gridpush.bayeux.JsonReader;
import io.gridpush.bayeux.StrictJsonContext;
import io.gridpush.protocol.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One HTTP API request as the handlers read it: headers, query parameters and the JSON body, each
 * mistake a {@link Refused} that carries the contract's {@code bad_request} (or {@code too_large})
 * answer. The body is parsed by the same parser as Bayeux messages ({@link JsonReader}), so a value
 * means the same whichever way it arrived.
 */
final class ApiRequest {
    private final HttpServletRequest request;

    ApiRequest(HttpServletRequest request) {
        this.request = request;
    }

    HttpServletRequest servlet() {
        return request;
    }

    String header(String name) {
        return request.getHeader(name);
    }

    String parameter(String name) {
        String[] values = request.getParameterValues(name);
        if (values != null && values.length > 1) {
            throw new Refused(badRequest("query parameter '" + name + "' is given " + values.length + " times"));
        }
        return values == null ? null : values[0];
    }

    OptionalLong longParameter(String name) {
        String text = parameter(name);
        if (text == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException x) {
            throw new Refused(badRequest("query parameter '" + name + "' must be an integer"));
        }
    }

    /** The body as one JSON value; a body that is not JSON, or not UTF-8, is refused. */
    Object jsonBody() {
        String type = request.getContentType();
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Refused(ApiReply.error(415, ErrorCode.BAD_REQUEST.wire(), "the body must be JSON (Content-Type: application/json), not " + type));
        }
        byte[] bytes;
        try {
            bytes = request.getInputStream().readAllBytes();
        } catch (IOException | RuntimeException x) {
            EdgeFailures.Answer answer = EdgeFailures.answer(x, request.getRemoteAddr());
            throw new Refused(ApiReply.error(answer.status(), answer.status() == 413 ? ErrorCode.TOO_LARGE.wire() : ErrorCode.BAD_REQUEST.wire(),
                answer.reason()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException x) {
            throw new Refused(badRequest("the body is not UTF-8"));
        }
        if (text.isBlank()) {
            throw new Refused(badRequest("the body must hold a JSON value"));
        }
        try {
            return JsonReader.parse(text, StrictJsonContext.MAX_DEPTH);
        } catch (JsonReader.BadJson x) {
            throw new Refused(badRequest("the body is not JSON: " + x.getMessage()));
        }
    }

    ApiReply badRequest(String message) {
        return ApiReply.error(ErrorCode.BAD_REQUEST, message);
    }

    /** A request refused before any operation ran; nothing was written. */
    static final class Refused extends RuntimeException {
        private final transient ApiReply reply;

        Refused(ApiReply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }

        ApiReply reply() {
            return reply;
        }
    }
}
