package io.jobpipe.status.api;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/** A request the API refuses, with the problem document that says why. */
public class ProblemException extends RuntimeException {
    private final HttpStatus status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extras;

    public ProblemException(HttpStatus status, String slug, String title, String detail, Map<String, Object> extras) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.extras = extras;
    }

    public static ProblemException jobNotFound(String jobId) {
        return new ProblemException(HttpStatus.NOT_FOUND, "job-not-found", "Job not found",
                "no job with id " + jobId + " is known (yet)", Map.of("jobId", jobId));
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid query parameter",
                detail, Map.of("parameter", parameter));
    }

    public HttpStatus status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_PREFIX + slug, title, status.getCode(), getMessage(), instance, extras);
    }
}
