package io.jobpipe.ingest.http;

import io.jobpipe.support.http.Problem;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ingest's problem documents: every one carries the request id and trace id, so an operator finds the
 * request's log line and trace from what the sender saw. Pure: no HTTP framework, so every answer ingest can
 * give is unit-tested. The rules shared with the other services (a server error never shows its cause) are
 * {@link io.jobpipe.support.http.Problems}'.
 */
public final class Problems {
    static final String TRACE_ID = "traceId";

    private Problems() {
    }

    public static Problem of(IngestProblemType type, String detail, String instance, String requestId, String traceId) {
        return Problem.of(type, detail, instance, members(requestId, traceId));
    }

    /**
     * A problem for an error the framework raised (no route, wrong method, bad media type, crash):
     * the known statuses get a jobpipe type, any other status the RFC's {@code about:blank} and its reason phrase.
     */
    public static Problem forStatus(int status, String reasonPhrase, String frameworkDetail,
                                    String instance, String requestId, String traceId) {
        return io.jobpipe.support.http.Problems.forStatus(status, reasonPhrase, frameworkDetail, instance,
                IngestProblemType.forFrameworkStatus(status), members(requestId, traceId));
    }

    /** The members ingest adds to every problem; a null one is left out. */
    public static Map<String, Object> members(String requestId, String traceId) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put(io.jobpipe.support.http.Problems.REQUEST_ID, requestId);
        members.put(TRACE_ID, traceId);
        return members;
    }

    public static String tooLargeDetail(long maxBodyBytes) {
        return "The body exceeds the limit of " + maxBodyBytes + " bytes.";
    }
}
