package io.gridpush.bayeux;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of refused input: one line per refusal, without a stack trace (the cause is the client's, and
 * a trace per 28-byte frame would let anyone fill the disk), and at most {@link #PER_MINUTE} lines a
 * minute; the next line that gets through says how many were left out. Thread-safe.
 */
public final class BadInputLog {
    static final int PER_MINUTE = 20;
    private static final Logger LOG = LoggerFactory.getLogger("gridpush.badinput");
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final AtomicLong WINDOW = new AtomicLong(System.nanoTime());
    private static final AtomicLong LOGGED = new AtomicLong();
    private static final AtomicLong SUPPRESSED = new AtomicLong();

    private BadInputLog() {
    }

    /** Logs {@code what} (plain text, never a stack trace) unless this minute's lines are used up. */
    public static void refused(String what, Object from) {
        long now = System.nanoTime();
        long window = WINDOW.get();
        if (now - window > MINUTE_NANOS && WINDOW.compareAndSet(window, now)) {
            LOGGED.set(0);
        }
        if (LOGGED.incrementAndGet() > PER_MINUTE) {
            SUPPRESSED.incrementAndGet();
            return;
        }
        long left = SUPPRESSED.getAndSet(0);
        LOG.info("Refused input from {}: {}{}", from, oneLine(what), left == 0 ? "" : " (" + left + " more refusals not logged)");
    }

    /** Control characters (a forged line break, say) are shown escaped, so one refusal is one log line. */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 300));
        for (int i = 0; i < text.length() && out.length() < 300; ++i) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int)c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
