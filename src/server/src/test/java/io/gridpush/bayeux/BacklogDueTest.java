package io.gridpush.bayeux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** When a backlog is trimmed: at conflateAt, at each doubling of it, and at the bound; never in between. */
class BacklogDueTest {
    @Test
    void trimsAtConflateAtItsDoublingsAndTheBound() {
        int[] due = IntStream.rangeClosed(0, 12_500).filter(size -> Backlog.due(size, 1000, 12_000)).limit(10).toArray();
        assertEquals(java.util.List.of(1000, 2000, 4000, 8000, 12_000, 12_001, 12_002, 12_003, 12_004, 12_005),
            IntStream.of(due).boxed().toList());
        assertFalse(Backlog.due(999, 1000, 12_000));
        assertFalse(Backlog.due(3000, 1000, 12_000), "not at every multiple: each message would pay the backlog's size");
        assertFalse(Backlog.due(6000, 1000, 12_000));
    }

    @Test
    void aBoundBelowConflateAtTrimsAtTheBound() {
        assertTrue(Backlog.due(50, 50, 50));
        assertFalse(Backlog.due(49, 50, 50));
    }
}
