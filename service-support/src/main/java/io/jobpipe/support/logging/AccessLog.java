package io.jobpipe.support.logging;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.logstash.logback.argument.StructuredArguments.kv;

/**
 * One line per request on logger {@value #LOGGER}, when {@link AccessLogProperties#enabled()}: method, path,
 * status and duration, plus the request's log fields. In the text format the message reads
 * {@code method=POST path=/webhooks/demo status=202 durationMs=4}; in JSON those four are also top-level properties.
 */
@Singleton
public final class AccessLog {
    public static final String LOGGER = "io.jobpipe.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final AccessLogProperties properties;

    public AccessLog(AccessLogProperties properties) {
        this.properties = properties;
    }

    public void log(String method, String path, int status, long durationMs, String requestId, String jobId,
                    String traceId) {
        if (!properties.logs(path) || !LOG.isInfoEnabled()) {
            return;
        }
        try (LogContext ignored = LogContext.open().requestId(requestId).jobId(jobId).traceId(traceId)) {
            LOG.info("{} {} {} {}", kv("method", method), kv("path", LogSafe.clean(path)), kv("status", status),
                    kv("durationMs", durationMs));
        }
    }
}
