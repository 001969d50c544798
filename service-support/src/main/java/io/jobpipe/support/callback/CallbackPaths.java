package io.jobpipe.support.callback;

/**
 * Where callbacks arrive on ingest: {@code POST /callbacks/<token>} with the result, {@code POST
 * /callbacks/<token>/heartbeat} while the agent works. A token in a path is a credential, so paths under
 * {@link #PREFIX} are written to logs with the token replaced.
 */
public final class CallbackPaths {
    public static final String PREFIX = "/callbacks/";
    public static final String HEARTBEAT = "/heartbeat";
    static final String REDACTED = "{token}";

    private CallbackPaths() {
    }

    /** {@code /callbacks/{token}/heartbeat} for {@code /callbacks/abc.def/heartbeat}; any other path as it is. */
    public static String redact(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return path;
        }
        int end = path.indexOf('/', PREFIX.length());
        return PREFIX + REDACTED + (end < 0 ? "" : path.substring(end));
    }
}
