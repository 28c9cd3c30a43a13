package io.gridpush.scope;

import com.google.inject.servlet.RequestScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The audit record of the message being handled. Handlers fill it in; the dispatcher writes it once,
 * when the message is done, whatever the outcome. Messages that did not write are not audited.
 */
@RequestScoped
public final class AuditRecord {
    private final Caller caller;
    private final AccessCheck access;
    private final AuditSink sink;
    private String operation;
    private String cache;
    private List<String> keys = List.of();
    private boolean written;

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

    /** Writes the record to the sink, at most once per message. */
    public void complete(String outcome) {
        if (operation != null && !written) {
            written = true;
            sink.write(new AuditEntry(caller, access.caller(), operation, cache, keys, outcome));
        }
    }
}
