package io.jobpipe.status.api;

import io.jobpipe.support.http.ProblemException;
import io.jobpipe.support.http.ProblemType;

import java.util.Map;

/** The requests the status API refuses, each with the problem that says why (service-support writes it). */
public final class StatusProblems {

    /** The status service's own problem types; framework errors stay {@code about:blank}. */
    public static final ProblemType JOB_NOT_FOUND = ProblemType.of(404, "job-not-found", "Job not found");
    public static final ProblemType INVALID_PARAMETER = ProblemType.of(400, "invalid-parameter", "Invalid query parameter");

    private StatusProblems() {
    }

    public static ProblemException jobNotFound(String jobId) {
        return new ProblemException(JOB_NOT_FOUND, "no job with id " + jobId + " is known (yet)",
                Map.of("jobId", jobId));
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(INVALID_PARAMETER, detail, Map.of("parameter", parameter));
    }
}
