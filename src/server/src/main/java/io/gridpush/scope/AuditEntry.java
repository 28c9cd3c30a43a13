package io.gridpush.scope;

import java.util.List;

/**
 * The audit of one message that wrote: who, what, and how it ended. {@code checkedBy} is the caller the
 * access check saw; it is the same instance as {@code caller}, which tests use to prove the scope.
 */
public record AuditEntry(Caller caller, Caller checkedBy, String operation, String cache, List<String> keys, String outcome) {
}
