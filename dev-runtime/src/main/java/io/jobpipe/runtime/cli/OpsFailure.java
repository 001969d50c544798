package io.jobpipe.runtime.cli;

/** An ops command that cannot go on; its message is for the user and {@link #exitCode()} is the command's. */
final class OpsFailure extends Exception {
    static final int REFUSED = 1;
    static final int USAGE = 2;

    private final int exitCode;
    private final boolean tokenRejected;

    private OpsFailure(String message, int exitCode, boolean tokenRejected) {
        super(message);
        this.exitCode = exitCode;
        this.tokenRejected = tokenRejected;
    }

    /** The service said no (4xx, 5xx), could not be reached, or answered nonsense. */
    static OpsFailure refused(String message) {
        return new OpsFailure(message, REFUSED, false);
    }

    /** A 401 or 403: every further call with the same token would fail alike. */
    static OpsFailure tokenRejected(String message) {
        return new OpsFailure(message, REFUSED, true);
    }

    /** The command line cannot be run as given. */
    static OpsFailure usage(String message) {
        return new OpsFailure(message, USAGE, false);
    }

    int exitCode() {
        return exitCode;
    }

    boolean tokenRejected() {
        return tokenRejected;
    }
}
