package io.gridpush.scope;

/** Where audit entries go. The default writes them to the {@code gridpush.audit} logger. */
public interface AuditSink {
    /** Called once per audited message, on the thread that handled it. */
    void write(AuditEntry entry);
}
