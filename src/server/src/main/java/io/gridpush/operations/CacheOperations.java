package io.gridpush.operations;

import com.google.inject.servlet.RequestScoped;
import io.gridpush.cache.Grid;
import io.gridpush.cache.GridCache;
import io.gridpush.cache.JsonValues;
import io.gridpush.cache.Versioned;
import io.gridpush.protocol.Fields;
import io.gridpush.protocol.GridpushException;
import io.gridpush.protocol.Operation;
import io.gridpush.scope.AccessCheck;
import io.gridpush.scope.AuditRecord;
import io.gridpush.security.Right;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The seven operations of the contract, whoever asks (a Bayeux message or an HTTP request). One instance
 * per request: it works through the request-scoped {@link AccessCheck} (the caller's rights) and
 * {@link AuditRecord} (what it wrote).
 */
@RequestScoped
final class CacheOperations {
    private final AccessCheck access;
    private final AuditRecord audit;
    private final Grid grid;

    @Inject
    CacheOperations(AccessCheck access, AuditRecord audit, Grid grid) {
        this.access = access;
        this.audit = audit;
        this.grid = grid;
    }

    Object handle(Operation op, RequestFields request, OperationBudget budget) {
        String cacheName = request.string(Fields.CACHE);
        Right right = op.isWrite() ? Right.WRITE : Right.READ;
        List<String> keys = op.isWrite() ? List.of(request.string(Fields.KEY)) : List.of();
        try {
            access.requireSome(cacheName, right);
            for (String key : op.isWrite() ? keys : readKeys(op, request)) {
                access.require(cacheName, key, right);
            }
        } finally {
            // Recorded once the access decision is made, allowed or not; the dispatcher writes the entry
            // when the outcome is known ("forbidden" for a refused caller), never before.
            if (op.isWrite()) {
                audit.write(op.wire(), cacheName, keys);
            }
        }
        GridCache cache = grid.cache(cacheName);
        return switch (op) {
            case GET -> get(cache, request);
            case GET_ALL -> getAll(cache, request);
            case PUT -> put(cache, request);
            case PUT_IF_ABSENT -> putIfAbsent(cache, request);
            case REPLACE -> replace(cache, request);
            case REMOVE -> remove(cache, request);
            case ENTRIES -> entries(cache, request, budget);
        };
    }

    /** The keys a read names, checked one by one; an entries page is filtered instead ({@link #entries}). */
    private static List<String> readKeys(Operation op, RequestFields request) {
        return switch (op) {
            case GET -> List.of(request.string(Fields.KEY));
            case GET_ALL -> request.strings(Fields.KEYS, Operation.MAX_GET_ALL_KEYS);
            default -> List.of();
        };
    }

    private Object get(GridCache cache, RequestFields request) {
        return lookup(cache.get(request.string(Fields.KEY)), false);
    }

    private Object getAll(GridCache cache, RequestFields request) {
        List<String> keys = request.strings(Fields.KEYS, Operation.MAX_GET_ALL_KEYS);
        List<Versioned> found = cache.getAll(keys);
        List<Object> entries = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); ++i) {
            Map<String, Object> entry = lookup(found.get(i), false);
            entry.put(Fields.KEY, keys.get(i));
            entries.add(entry);
        }
        return Map.of(Fields.ENTRIES, entries);
    }

    private Object put(GridCache cache, RequestFields request) {
        GridCache.PutResult result = cache.put(request.string(Fields.KEY), value(request),
            request.optionalInteger(Fields.LIFESPAN_MS, 1, -1), request.optionalInteger(Fields.MAX_IDLE_MS, 1, -1));
        Map<String, Object> reply = new HashMap<>();
        reply.put(Fields.VERSION, result.version());
        if (result.previous() != null) {
            reply.put(Fields.PREVIOUS, Map.of(Fields.VALUE, JsonValues.literal(result.previous().json()),
                Fields.VERSION, result.previous().version()));
        }
        return reply;
    }

    private Object putIfAbsent(GridCache cache, RequestFields request) {
        GridCache.ConditionalResult result = cache.putIfAbsent(request.string(Fields.KEY), value(request),
            request.optionalInteger(Fields.LIFESPAN_MS, 1, -1));
        return Map.of(Fields.STORED, result.applied(), Fields.VERSION, result.version());
    }

    private Object replace(GridCache cache, RequestFields request) {
        String key = request.string(Fields.KEY);
        Object value = value(request);
        GridCache.ConditionalResult result = cache.replace(key, value, request.integer(Fields.IF_VERSION));
        Map<String, Object> reply = new HashMap<>();
        reply.put(Fields.REPLACED, result.applied());
        if (result.version() >= 0) {
            reply.put(Fields.VERSION, result.version());
        }
        return reply;
    }

    private Object remove(GridCache cache, RequestFields request) {
        String key = request.string(Fields.KEY);
        return Map.of(Fields.REMOVED, cache.remove(key, request.optionalInteger(Fields.IF_VERSION, 0, -1)));
    }

    private Object entries(GridCache cache, RequestFields request, OperationBudget budget) {
        String after = request.optionalString(Fields.AFTER);
        long limit = request.optionalInteger(Fields.LIMIT, 1, Operation.DEFAULT_PAGE);
        if (limit > Operation.MAX_PAGE) {
            throw GridpushException.badRequest("field 'limit' must be at most " + Operation.MAX_PAGE);
        }
        GridCache.Page page = cache.entries(after, (int)limit);
        budget.charge(page.scanned() / OperationBudget.SCANNED_PER_OPERATION);
        List<Object> entries = new ArrayList<>(page.entries().size());
        for (Versioned entry : page.entries()) {
            if (!access.mayRead(cache.name(), entry.key())) {
                continue;
            }
            Map<String, Object> item = lookup(entry, true);
            item.put(Fields.KEY, entry.key());
            entries.add(item);
        }
        Map<String, Object> reply = new HashMap<>();
        reply.put(Fields.ENTRIES, entries);
        if (page.next() != null) {
            reply.put(Fields.NEXT, page.next());
        }
        return reply;
    }

    private static Object value(RequestFields request) {
        return request.present(Fields.VALUE);
    }

    /** {@code {found, value?, version?}}, or {@code {value, version}} for an entries page. */
    private static Map<String, Object> lookup(Versioned entry, boolean bare) {
        Map<String, Object> result = new HashMap<>();
        if (!bare) {
            result.put(Fields.FOUND, entry != null);
        }
        if (entry != null) {
            result.put(Fields.VALUE, JsonValues.literal(entry.json()));
            result.put(Fields.VERSION, entry.version());
        }
        return result;
    }
}
