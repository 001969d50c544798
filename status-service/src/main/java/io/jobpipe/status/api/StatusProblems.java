package io.jobpipe.status.api;

import io.jobpipe.support.http.ProblemException;
import io.jobpipe.support.http.ProblemType;

import java.util.Map;

/** The requests the status API refuses, each with the problem that says why (service-support writes it). */
public final class StatusProblems {

    /** Every kind of problem of the status service's own; framework errors stay {@code about:blank}. */
    public enum Type implements ProblemType {
        JOB_NOT_FOUND(404, "job-not-found", "Job not found"),
        INVALID_PARAMETER(400, "invalid-parameter", "Invalid query parameter");

        private final int status;
        private final String slug;
        private final String title;

        Type(int status, String slug, String title) {
            this.status = status;
            this.slug = slug;
            this.title = title;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public String slug() {
            return slug;
        }

        @Override
        public String title() {
            return title;
        }
    }

    private StatusProblems() {
    }

    public static ProblemException jobNotFound(String jobId) {
        return new ProblemException(Type.JOB_NOT_FOUND, "no job with id " + jobId + " is known (yet)",
                Map.of("jobId", jobId));
    }

    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(Type.INVALID_PARAMETER, detail, Map.of("parameter", parameter));
    }
}
