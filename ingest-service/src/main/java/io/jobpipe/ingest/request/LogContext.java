package io.jobpipe.ingest.request;

import org.slf4j.MDC;

/**
 * Puts {@code requestId} and {@code jobId} into the MDC for the log lines written inside a try block.
 * Requests finish on other threads than they start, so the MDC is set where a line is written, not per thread.
 */
public final class LogContext implements AutoCloseable {
    public static final String REQUEST_ID = "requestId";
    public static final String JOB_ID = "jobId";

    private LogContext() {
    }

    public static LogContext of(String requestId, String jobId) {
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        if (jobId != null) {
            MDC.put(JOB_ID, jobId);
        }
        return new LogContext();
    }

    @Override
    public void close() {
        MDC.remove(REQUEST_ID);
        MDC.remove(JOB_ID);
    }
}
