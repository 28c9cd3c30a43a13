package io.gridpush.protocol;

/**
 * A failed operation, with the contract's error code. Thrown by the embedded Java API and by the
 * gateway's operation handlers (which turn it into an error reply), and completes the Java client's
 * futures exceptionally.
 */
public class GridpushException extends RuntimeException {
    private final ErrorCode code;

    public GridpushException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return "GridpushException[" + code.wire() + "]: " + getMessage();
    }

    public static GridpushException badRequest(String message) {
        return new GridpushException(ErrorCode.BAD_REQUEST, message);
    }
}
