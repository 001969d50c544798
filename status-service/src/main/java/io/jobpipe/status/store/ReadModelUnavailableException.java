package io.jobpipe.status.store;

/** PostgreSQL did not answer a read in time (or refused the connection): the request gets a 503, not a hang. */
public class ReadModelUnavailableException extends RuntimeException {
    public ReadModelUnavailableException(Throwable cause) {
        super("the read model (PostgreSQL) did not answer: " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
