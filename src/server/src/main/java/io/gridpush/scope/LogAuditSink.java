package io.gridpush.scope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each audit entry as one line to the {@code gridpush.audit} logger. */
public final class LogAuditSink implements AuditSink {
    private static final Logger AUDIT = LoggerFactory.getLogger("gridpush.audit");

    @Override
    public void write(AuditEntry entry) {
        AUDIT.info("{} {} cache={} keys={} outcome={}", entry.caller(), entry.operation(), entry.cache(), entry.keys(), entry.outcome());
    }
}
