package io.jobpipe.ingest.http;

import io.jobpipe.ingest.request.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request (logger {@code io.jobpipe.ingest.access}), so every request is visible, answered
 * or not. Health probes go to DEBUG: they arrive every few seconds and say nothing about traffic.
 */
final class AccessLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.jobpipe.ingest.access");

    private AccessLog() {
    }

    static void log(String method, String path, String connection, int status, long durationMs,
                    String requestId, String jobId) {
        boolean probe = path.startsWith("/health");
        if (probe ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        try (var ignored = LogContext.of(requestId, jobId)) {
            String line = "method=" + method + " path=" + LogSafe.clean(path)
                    + " connection=" + (connection == null ? "-" : LogSafe.clean(connection))
                    + " status=" + status + " durationMs=" + durationMs;
            if (probe) {
                LOG.debug(line);
            } else {
                LOG.info(line);
            }
        }
    }
}
