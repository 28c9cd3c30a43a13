package io.gridpush.testkit;

import io.gridpush.protocol.GridpushException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Bounded waits on futures, unwrapping the contract's errors. */
public final class Await {
    private Await() {
    }

    public static <T> T result(CompletableFuture<T> future) {
        try {
            return future.get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException x) {
            if (x.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(x.getCause());
        } catch (Exception x) {
            throw new AssertionError("no result within " + Events.WAIT_SECONDS + " s", x);
        }
    }

    /** The next element of {@code queue}; fails the test if none comes within the bound. */
    public static <T> T poll(java.util.concurrent.BlockingQueue<T> queue) throws InterruptedException {
        T next = queue.poll(Events.WAIT_SECONDS, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("nothing arrived within " + Events.WAIT_SECONDS + " s");
        }
        return next;
    }

    /** The error a failed future carries; fails the test if it succeeds. */
    public static GridpushException error(CompletableFuture<?> future) {
        try {
            Object value = future.get(Events.WAIT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected an error, got " + value);
        } catch (ExecutionException x) {
            if (x.getCause() instanceof GridpushException error) {
                return error;
            }
            throw new AssertionError("expected a GridpushException", x.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException x) {
            throw new AssertionError("no reply within " + Events.WAIT_SECONDS + " s", x);
        }
    }
}
