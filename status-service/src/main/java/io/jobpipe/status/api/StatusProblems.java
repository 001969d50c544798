package io.jobpipe.status.api;

import io.jobpipe.support.http.ProblemException;
import io.jobpipe.support.http.ProblemType;

import java.util.Map;

/** The requests the status API refuses, each with the problem that says why (service-support writes it). */
public final class StatusProblems {

    /** The status service's own problem types; framework errors stay {@code about:blank}. */
    public static final ProblemType JOB_NOT_FOUND = ProblemType.of(404, "job-not-found", "Job not found");
    public static final ProblemType INVALID_PARAMETER = ProblemType.of(400, "invalid-parameter", "Invalid query parameter");
    public static final ProblemType TOO_MANY_STREAMS = ProblemType.of(429, "too-many-streams",
            "Too many event streams from this client");
    public static final ProblemType STREAMS_FULL = ProblemType.of(503, "streams-full",
            "This instance holds all the event streams it can");

    public static final ProblemType WAITS_FULL = ProblemType.of(503, "waits-full",
            "This instance holds all the waiting requests it can");

    public static final ProblemType READ_MODEL_UNAVAILABLE = ProblemType.of(503, "read-model-unavailable",
            "The job database did not answer");

    private StatusProblems() {
    }

    public static ProblemException jobNotFound(String jobId) {
        return new ProblemException(JOB_NOT_FOUND, "no job with id " + jobId + " is known (yet)",
                Map.of("jobId", jobId));
    }

    /** The client holds {@code cap} streams already. */
    public static ProblemException tooManyStreams(int cap) {
        return new ProblemException(TOO_MANY_STREAMS, "this client has " + cap + " event streams open, the most it may;"
                + " close one (or follow several jobs with fewer streams) and retry", Map.of("maxStreamsPerClient", cap));
    }

    /** The instance holds {@code cap} streams already. */
    public static ProblemException streamsFull(int cap) {
        return new ProblemException(STREAMS_FULL, "this instance holds " + cap + " event streams, the most it may;"
                + " retry after the Retry-After delay (another instance may take the stream)", Map.of("maxStreams", cap));
    }

    /** {@code cap} {@code waitFor} requests wait already. */
    public static ProblemException waitsFull(int cap) {
        return new ProblemException(WAITS_FULL, "this instance has " + cap + " requests waiting for a job's state, the"
                + " most it may; retry after the Retry-After delay, or follow the job's events (SSE) instead",
                Map.of("maxWaits", cap));
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(INVALID_PARAMETER, detail, Map.of("parameter", parameter));
    }
}
