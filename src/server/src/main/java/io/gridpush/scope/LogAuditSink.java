package io.gridpush.scope;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each audit entry as one line to the {@code gridpush.audit} logger. */
public final class LogAuditSink implements AuditSink {
    private static final Logger AUDIT = LoggerFactory.getLogger("gridpush.audit");

    @Override
    public void write(AuditEntry entry) {
        AUDIT.info(line(entry));
    }

    /**
     * The entry as one line. Every field a client chooses (identity, clientId, cache, keys) is a quoted
     * JSON string, so a key holding a line break or {@code " outcome=ok"} cannot end the line or add a
     * field: whatever it holds, it stays inside its quotes.
     */
    public static String line(AuditEntry entry) {
        Caller caller = entry.caller();
        StringBuilder line = new StringBuilder(128);
        line.append("identity=").append(quoted(caller.identity().name()))
            .append(" client=").append(quoted(caller.clientId()))
            .append(" transport=").append(quoted(caller.transport()))
            .append(" address=").append(quoted(caller.remoteAddress()))
            .append(" op=").append(quoted(entry.operation()))
            .append(" cache=").append(quoted(entry.cache()))
            .append(" keys=[");
        for (int i = 0; i < entry.keys().size(); ++i) {
            line.append(i == 0 ? "" : ",").append(quoted(entry.keys().get(i)));
        }
        return line.append("] outcome=").append(quoted(entry.outcome())).toString();
    }

    /** A JSON string literal; also escapes the characters that some log viewers take as line breaks. */
    static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); ++i) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int)c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
