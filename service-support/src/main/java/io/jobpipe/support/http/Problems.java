package io.jobpipe.support.http;

import java.util.Map;

/**
 * Builds the problem for an error the framework raised (no route, wrong method, bad media type, a crash).
 * Pure: no HTTP framework, so every rule is unit-tested. A server error never carries the framework's
 * detail: it may hold exception text and internals; the log has them.
 */
public final class Problems {
    /** The member a service may add that lets an operator find the log line of a failed request. */
    public static final String REQUEST_ID = "requestId";
    static final String INTERNAL_DETAIL = "The request could not be processed; the error is logged.";
    static final String INTERNAL_DETAIL_WITH_ID =
            "The request could not be processed; quote the requestId when reporting this.";

    private Problems() {
    }

    /**
     * @param type       the service's type for this status, or null: then {@code about:blank} and the reason phrase
     * @param extensions the service's members for every problem (e.g. the request id)
     */
    public static Problem forStatus(int status, String reasonPhrase, String frameworkDetail, String instance,
                                    ProblemType type, Map<String, Object> extensions) {
        String detail = status >= 500 ? internalDetail(extensions) : blankToNull(frameworkDetail);
        if (type == null) {
            return new Problem(Problem.BLANK_TYPE, reasonPhrase, status, detail, instance, extensions);
        }
        return new Problem(type.uri(), type.title(), status, detail, instance, extensions);
    }

    /** What a 5xx says instead of its cause. */
    public static String internalDetail(Map<String, Object> extensions) {
        return extensions != null && extensions.get(REQUEST_ID) != null ? INTERNAL_DETAIL_WITH_ID : INTERNAL_DETAIL;
    }

    private static String blankToNull(String detail) {
        return detail == null || detail.isBlank() ? null : detail;
    }
}
