package io.gridpush.http;

import io.gridpush.operations.OperationBudget;
import io.gridpush.operations.OperationRunner;
import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.Operation;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /caches/{cache}/batch}: several writes in one request,
 * {@code {"operations": [{"op": "put", "key": .., "value": ..}, {"op": "remove", "key": .., "ifVersion": 3}, ..]}}.
 * Each item is one of the contract's writes ({@code put}, {@code putIfAbsent}, {@code replace},
 * {@code remove}) with that operation's fields, run in order as that operation, with its own rights
 * check, rate, audit record and outcome. Items are independent, not a transaction: the answer is 200 with
 * one result per item, in order, each the operation's reply or its error ({@code {error, message}}).
 */
@Singleton
final class BatchApi {
    static final String OPERATIONS = "operations";
    static final String OP = "op";
    static final String RESULTS = "results";
    private final OperationRunner runner;

    @Inject
    BatchApi(OperationRunner runner) {
        this.runner = runner;
    }

    ApiReply batch(ApiRoute route, ApiRequest request, OperationBudget budget) {
        Object body = request.jsonBody();
        if (!(body instanceof Map<?, ?> map) || !(map.get(OPERATIONS) instanceof List<?> items)) {
            return request.badRequest("the body must be {\"operations\": [{\"op\": \"put\", \"key\": ..., \"value\": ...}, ...]}");
        }
        if (map.size() != 1) {
            return request.badRequest("the body holds fields other than 'operations'");
        }
        if (items.size() > Operation.MAX_GET_ALL_KEYS) {
            return ApiReply.error(ErrorCode.TOO_LARGE, "a batch holds at most " + Operation.MAX_GET_ALL_KEYS + " operations, not " + items.size());
        }
        List<Object> results = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); ++i) {
            results.add(run(route, i, items.get(i), budget));
        }
        return ApiReply.of(200, Map.of(RESULTS, results));
    }

    private Object run(ApiRoute route, int index, Object item, OperationBudget budget) {
        if (!(item instanceof Map<?, ?> fields) || !(fields.get(OP) instanceof String op) || !EntryApi.writes().contains(op)) {
            return OperationRunner.failure(ErrorCode.BAD_REQUEST, "operations[" + index + "] must be an object whose 'op' is one of "
                + EntryApi.writes()).result();
        }
        if (fields.containsKey(Fields.CACHE) && !route.cache().equals(fields.get(Fields.CACHE))) {
            return OperationRunner.failure(ErrorCode.BAD_REQUEST, "operations[" + index + "] names another cache than the path's").result();
        }
        Map<Object, Object> data = new HashMap<>(fields);
        data.remove(OP);
        data.put(Fields.CACHE, route.cache());
        OperationRunner.Outcome outcome = runner.run(op, data, budget);
        if (!outcome.successful()) {
            return outcome.result();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(OP, op);
        result.putAll(castResult(outcome.result()));
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castResult(Object result) {
        return (Map<String, Object>)result;
    }
}
