package io.jobpipe.ingest.http;

/**
 * Builds problem documents. Pure: no HTTP framework, so every answer ingest can give is unit-tested.
 * Server errors never carry the exception's message: it may hold internals, and the request id finds the log.
 */
public final class Problems {
    static final String INTERNAL_DETAIL = "The request could not be processed; quote the requestId when reporting this.";

    private Problems() {
    }

    public static Problem of(ProblemType type, String detail, String instance, String requestId, String traceId) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId, traceId);
    }

    /**
     * A problem for an error the framework raised (no route, wrong method, bad media type, crash):
     * the known statuses get a jobpipe type, any other status the RFC's {@code about:blank} and its reason phrase.
     */
    public static Problem forStatus(int status, String reasonPhrase, String frameworkDetail,
                                    String instance, String requestId, String traceId) {
        ProblemType type = ProblemType.forFrameworkStatus(status);
        String detail = status >= 500 ? INTERNAL_DETAIL : frameworkDetail;
        if (type == null) {
            return new Problem(Problem.BLANK_TYPE, reasonPhrase, status, detail, instance, requestId, traceId);
        }
        return new Problem(type.uri(), type.title(), status, detail, instance, requestId, traceId);
    }

    public static String tooLargeDetail(long maxBodyBytes) {
        return "The body exceeds the limit of " + maxBodyBytes + " bytes.";
    }
}
