package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The audit record of the operation being handled. Handlers fill it in; the operation's runner writes it
 * once, when the operation is done, whatever the outcome. Operations that did not write are not audited.
 * A request holds one operation (a Bayeux message, most HTTP requests) or several in turn (an HTTP batch):
 * each write is its own record, all with the request's one {@link Caller}.
 */
@RequestScoped
public final class AuditRecord {
    private final Caller caller;
    private final AccessCheck access;
    private final AuditSink sink;
    private String operation;
    private String cache;
    private List<String> keys = List.of();

    @Inject
    public AuditRecord(Caller caller, AccessCheck access, AuditSink sink) {
        this.caller = caller;
        this.access = access;
        this.sink = sink;
    }

    /** Marks this message as a write of {@code keys} in {@code cache}. */
    public void write(String operation, String cache, List<String> keys) {
        this.operation = operation;
        this.cache = cache;
        this.keys = List.copyOf(keys);
    }

    /** Writes the record of the operation just done to the sink, once; the next operation of the request starts afresh. */
    public void complete(String outcome) {
        if (operation != null) {
            String done = operation;
            operation = null;
            sink.write(new AuditEntry(caller, access.caller(), done, cache, keys, outcome));
        }
    }
}
