package io.jobpipe.support.logging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job and request fields of the log lines written inside a try-with-resources block, kept in the SLF4J MDC:
 * <pre>{@code
 * try (LogContext ignored = LogContext.open().jobId(id).stage(stage).attempt(attempt)) {
 *     LOG.info("...");   // carries jobId, stage, attempt
 * }
 * }</pre>
 * {@link #close()} puts back what the fields held at {@link #open()}, so a context never leaks into the next record
 * or request on the same thread, and a nested context (an access log line inside a request) restores its outer one.
 * A null value leaves a field as it was: an unknown value never hides a known one. Open and close on one thread.
 */
public final class LogContext implements AutoCloseable {
    public static final String REQUEST_ID = "requestId";
    public static final String JOB_ID = "jobId";
    public static final String STAGE = "stage";
    public static final String ATTEMPT = "attempt";
    public static final String TRACE_ID = "traceId";
    /** The fields, in the order the text format prints them. */
    public static final List<String> FIELDS = List.of(REQUEST_ID, JOB_ID, STAGE, ATTEMPT, TRACE_ID);

    private final Map<String, String> before = new HashMap<>();

    private LogContext() {
        for (String field : FIELDS) {
            before.put(field, MDC.get(field));
        }
    }

    /** Remembers the fields as they are now; {@link #close()} restores them. */
    public static LogContext open() {
        return new LogContext();
    }

    /** Opens a context with the fields of a {@link #current()} snapshot, e.g. on the thread that finishes a job. */
    public static LogContext of(Map<String, String> fields) {
        LogContext context = open();
        fields.forEach((field, value) -> {
            if (FIELDS.contains(field)) {
                context.put(field, value);
            }
        });
        return context;
    }

    /** The fields set on this thread now, in {@link #FIELDS} order. */
    public static Map<String, String> current() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String value = MDC.get(field);
            if (value != null) {
                fields.put(field, value);
            }
        }
        return fields;
    }

    public LogContext requestId(String requestId) {
        return put(REQUEST_ID, requestId);
    }

    public LogContext jobId(String jobId) {
        return put(JOB_ID, jobId);
    }

    public LogContext stage(String stage) {
        return put(STAGE, stage);
    }

    /** Attempts count from 1; anything less means "not known". */
    public LogContext attempt(int attempt) {
        return attempt < 1 ? this : put(ATTEMPT, Integer.toString(attempt));
    }

    public LogContext traceId(String traceId) {
        return put(TRACE_ID, traceId);
    }

    /** The trace id of a span, when it is a valid one (a no-op tracer's spans are not). */
    public LogContext traceOf(SpanContext span) {
        return span != null && span.isValid() ? traceId(span.getTraceId()) : this;
    }

    /** The trace id of the span current on this thread, if any. */
    public LogContext currentTrace() {
        return traceOf(Span.current().getSpanContext());
    }

    private LogContext put(String field, String value) {
        if (value != null && !value.isEmpty()) {
            MDC.put(field, value);
        }
        return this;
    }

    @Override
    public void close() {
        before.forEach((field, value) -> {
            if (value == null) {
                MDC.remove(field);
            } else {
                MDC.put(field, value);
            }
        });
    }
}
