package io.gridpush.http;

import io.gridpush.operations.OperationBudget;
import io.gridpush.operations.OperationRunner;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.Operation;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API's reads and writes of entries, each run as the contract's operation
 * ({@link OperationRunner}: the same rights, rate, back-pressure, audit and errors as over Bayeux) and its
 * outcome said in HTTP: the version is the {@code ETag}; {@code If-Match} makes a write conditional on a
 * version ({@code replace}, a conditional {@code remove}); {@code If-None-Match: *} makes it conditional on
 * absence ({@code putIfAbsent}); a condition that does not hold is 412 and writes nothing.
 *
 * <p>Threads: a Jetty thread, inside the request's scope.</p>
 */
@Singleton
final class EntryApi {
    private final OperationRunner runner;

    @Inject
    EntryApi(OperationRunner runner) {
        this.runner = runner;
    }

    ApiReply get(ApiRoute route, ApiRequest request, OperationBudget budget) {
        OperationRunner.Outcome outcome = runner.run(Operation.GET.wire(), keyed(route), budget);
        if (!outcome.successful()) {
            return ApiReply.error(outcome.error(), message(outcome));
        }
        Map<?, ?> found = (Map<?, ?>)outcome.result();
        if (!Boolean.TRUE.equals(found.get(Fields.FOUND))) {
            return absent(route);
        }
        long version = ((Number)found.get(Fields.VERSION)).longValue();
        String tag = ETags.of(version);
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && ETags.matchesAny(ifNoneMatch, version)) {
            return ApiReply.of(304, null).with("ETag", tag);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(Fields.KEY, route.key());
        body.put(Fields.VALUE, found.get(Fields.VALUE));
        body.put(Fields.VERSION, version);
        return ApiReply.of(200, body).with("ETag", tag);
    }

    ApiReply put(ApiRoute route, ApiRequest request, OperationBudget budget) {
        Map<String, Object> data = keyed(route);
        data.put(Fields.VALUE, request.jsonBody());
        request.longParameter(Fields.LIFESPAN_MS).ifPresent(v -> data.put(Fields.LIFESPAN_MS, v));
        request.longParameter(Fields.MAX_IDLE_MS).ifPresent(v -> data.put(Fields.MAX_IDLE_MS, v));
        String ifMatch = request.header("If-Match");
        String ifNoneMatch = request.header("If-None-Match");
        if (ifMatch != null && ifNoneMatch != null) {
            return request.badRequest("If-Match and If-None-Match cannot both be given");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                return request.badRequest("on a write, If-None-Match must be * (create only if absent)");
            }
            if (data.containsKey(Fields.MAX_IDLE_MS)) {
                return request.badRequest("maxIdleMs cannot be given with If-None-Match: * (putIfAbsent takes lifespanMs only)");
            }
            return conditional(route, runner.run(Operation.PUT_IF_ABSENT.wire(), data, budget), Fields.STORED, 201);
        }
        if (ifMatch != null) {
            Long version = ifMatch.trim().equals("*") ? currentVersion(route, budget) : ETags.parse(ifMatch);
            if (version == null) {
                return precondition(route, "If-Match " + ifMatch.trim() + " does not hold: " + (ifMatch.trim().equals("*")
                    ? "the key is absent" : "ETags of this API are a version in quotes, as in \"12\""), null);
            }
            if (data.containsKey(Fields.LIFESPAN_MS) || data.containsKey(Fields.MAX_IDLE_MS)) {
                return request.badRequest("lifespanMs and maxIdleMs cannot be given with If-Match (replace keeps neither)");
            }
            data.put(Fields.IF_VERSION, version);
            return conditional(route, runner.run(Operation.REPLACE.wire(), data, budget), Fields.REPLACED, 200);
        }
        OperationRunner.Outcome outcome = runner.run(Operation.PUT.wire(), data, budget);
        if (!outcome.successful()) {
            return ApiReply.error(outcome.error(), message(outcome));
        }
        Map<?, ?> result = (Map<?, ?>)outcome.result();
        long version = ((Number)result.get(Fields.VERSION)).longValue();
        return ApiReply.of(result.containsKey(Fields.PREVIOUS) ? 200 : 201, result).with("ETag", ETags.of(version));
    }

    ApiReply delete(ApiRoute route, ApiRequest request, OperationBudget budget) {
        Map<String, Object> data = keyed(route);
        String ifMatch = request.header("If-Match");
        if (ifMatch != null && !ifMatch.trim().equals("*")) {
            Long version = ETags.parse(ifMatch);
            if (version == null) {
                return precondition(route, "If-Match " + ifMatch.trim() + " does not hold: ETags of this API are a version in quotes, as in \"12\"",
                    null);
            }
            data.put(Fields.IF_VERSION, version);
        }
        OperationRunner.Outcome outcome = runner.run(Operation.REMOVE.wire(), data, budget);
        if (!outcome.successful()) {
            return ApiReply.error(outcome.error(), message(outcome));
        }
        if (Boolean.TRUE.equals(((Map<?, ?>)outcome.result()).get(Fields.REMOVED))) {
            return ApiReply.of(204, null);
        }
        return ifMatch != null ? precondition(route, "If-Match " + ifMatch.trim() + " does not hold: the key is absent or at another version", null)
            : absent(route);
    }

    ApiReply page(ApiRoute route, ApiRequest request, OperationBudget budget) {
        Map<String, Object> data = new HashMap<>();
        data.put(Fields.CACHE, route.cache());
        String after = request.parameter(Fields.AFTER);
        if (after != null) {
            data.put(Fields.AFTER, after);
        }
        request.longParameter(Fields.LIMIT).ifPresent(v -> data.put(Fields.LIMIT, v));
        OperationRunner.Outcome outcome = runner.run(Operation.ENTRIES.wire(), data, budget);
        if (!outcome.successful()) {
            return ApiReply.error(outcome.error(), message(outcome));
        }
        return ApiReply.of(200, outcome.result());
    }

    /** The version of the key now, or null when it is absent: for {@code If-Match: *}, which then replaces that version. */
    private Long currentVersion(ApiRoute route, OperationBudget budget) {
        OperationRunner.Outcome outcome = runner.run(Operation.GET.wire(), keyed(route), budget);
        if (!outcome.successful() || !Boolean.TRUE.equals(((Map<?, ?>)outcome.result()).get(Fields.FOUND))) {
            return null;
        }
        return ((Number)((Map<?, ?>)outcome.result()).get(Fields.VERSION)).longValue();
    }

    private static ApiReply conditional(ApiRoute route, OperationRunner.Outcome outcome, String appliedField, int appliedStatus) {
        if (!outcome.successful()) {
            return ApiReply.error(outcome.error(), message(outcome));
        }
        Map<?, ?> result = (Map<?, ?>)outcome.result();
        Number version = (Number)result.get(Fields.VERSION);
        if (Boolean.TRUE.equals(result.get(appliedField))) {
            return ApiReply.of(appliedStatus, Map.of(Fields.VERSION, version)).with("ETag", ETags.of(version.longValue()));
        }
        String why = appliedField.equals(Fields.STORED) ? "If-None-Match: * does not hold: the key is present"
            : "If-Match does not hold: the key is " + (version == null ? "absent" : "at version " + version);
        return precondition(route, why, version);
    }

    private static ApiReply precondition(ApiRoute route, String why, Number current) {
        ApiReply reply = ApiReply.error(412, ApiReply.PRECONDITION_FAILED, why + "; nothing was written to key '" + route.key() + "'");
        if (current != null) {
            ((Map<String, Object>)reply.body()).put(Fields.VERSION, current.longValue());
            reply.with("ETag", ETags.of(current.longValue()));
        }
        return reply;
    }

    private static ApiReply absent(ApiRoute route) {
        return ApiReply.error(404, ApiReply.NOT_FOUND, "cache '" + route.cache() + "' holds no key '" + route.key() + "'");
    }

    static Map<String, Object> keyed(ApiRoute route) {
        Map<String, Object> data = new HashMap<>();
        data.put(Fields.CACHE, route.cache());
        data.put(Fields.KEY, route.key());
        return data;
    }

    static String message(OperationRunner.Outcome outcome) {
        return String.valueOf(((Map<?, ?>)outcome.result()).get(Fields.MESSAGE));
    }

    static List<String> writes() {
        return List.of(Operation.PUT.wire(), Operation.PUT_IF_ABSENT.wire(), Operation.REPLACE.wire(), Operation.REMOVE.wire());
    }
}
