package io.gridpush.cache;

import io.gridpush.protocol.ErrorCode;
import io.gridpush.protocol.GridpushException;
import java.util.function.Supplier;
import org.infinispan.commons.IllegalLifecycleStateException;
import org.infinispan.commons.TimeoutException;
import org.infinispan.partitionhandling.AvailabilityException;
import org.infinispan.remoting.CacheUnreachableException;
import org.infinispan.remoting.transport.jgroups.SuspectException;
import org.infinispan.statetransfer.AllOwnersLostException;
import org.infinispan.statetransfer.OutdatedTopologyException;
import org.infinispan.topology.MissingMembersException;

/**
 * The one home of "the grid cannot serve now": Infinispan's failures of a node, a topology or an
 * availability (a stopping cache, a degraded partition, an owner that left mid-call, a remote call that
 * timed out, also when wrapped in a {@code RemoteException} from the owner) become the contract's
 * {@code unavailable}, which tells the client to retry, instead of {@code internal}. A rolling restart
 * meets most of these: an owner leaves while a write is on its way to it.
 *
 * <p>A timed-out write may have reached some owners; retrying it is still right: an unconditional put
 * writes again with a newer version, and a conditional one then answers from the state it finds.</p>
 */
final class Unavailable {
    private static final int MAX_CAUSES = 16;

    private Unavailable() {
    }

    /** Runs one grid call, translating a transient failure of the grid into {@code unavailable}. */
    static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (GridpushException x) {
            throw x;
        } catch (RuntimeException x) {
            if (isTransient(x)) {
                throw new GridpushException(ErrorCode.UNAVAILABLE, "the cache cannot serve now (" + x.getClass().getSimpleName() + "); retry");
            }
            throw x;
        }
    }

    /** Whether {@code failure} or one of its causes says the grid is (for now) unable to serve. */
    static boolean isTransient(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; ++depth, cause = cause.getCause()) {
            if (cause instanceof IllegalLifecycleStateException || cause instanceof AvailabilityException
                || cause instanceof SuspectException || cause instanceof TimeoutException
                || cause instanceof AllOwnersLostException || cause instanceof OutdatedTopologyException
                || cause instanceof CacheUnreachableException || cause instanceof MissingMembersException
                || cause instanceof InterruptedException) {
                return true;
            }
        }
        return false;
    }
}
