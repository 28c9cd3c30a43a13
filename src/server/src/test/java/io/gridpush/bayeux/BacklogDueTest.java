package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Where the next trim of a backlog comes: twice what the last one kept, at least conflateAt, at most the bound. */
class BacklogDueTest {
    @Test
    void aBacklogMustDoubleBeforeItIsTrimmedAgain() {
        assertEquals(1000, Backlog.nextTrim(50, 1000, 12_000), "conflated well down: again at conflateAt");
        assertEquals(2000, Backlog.nextTrim(1000, 1000, 12_000), "1,000 distinct keys are not trimmed again at the next message");
        assertEquals(7000, Backlog.nextTrim(3500, 1000, 12_000));
        assertEquals(12_000, Backlog.nextTrim(9000, 1000, 12_000), "at most at the bound");
        assertEquals(1200, Backlog.nextTrim(1000, 1000, 1200));
        assertEquals(50, Backlog.nextTrim(10, 50, 50));
    }
}
