package io.jobpipe.status.ops.api;

import io.jobpipe.support.http.ProblemException;
import io.jobpipe.support.http.ProblemType;

import java.util.HashMap;
import java.util.Map;

/** The requests the ops API refuses, each with the problem that says why. */
public final class OpsProblems {
    public static final ProblemType UNAUTHORIZED = ProblemType.of(401, "ops-unauthorized", "Ops token required");
    public static final ProblemType FORBIDDEN = ProblemType.of(403, "ops-forbidden", "Ops token not allowed to operate");
    public static final ProblemType INVALID_REQUEST = ProblemType.of(400, "invalid-ops-request", "Invalid ops request");
    public static final ProblemType NOT_DEAD_LETTERED = ProblemType.of(404, "dead-letter-not-found",
            "Dead letter not found");
    public static final ProblemType JOB_STATE_CONFLICT = ProblemType.of(409, "job-state-conflict",
            "Job is not in a state this command applies to");
    public static final ProblemType OPERATION_NOT_FOUND = ProblemType.of(404, "operation-not-found",
            "Operation not found");
    public static final ProblemType BREAKER_NOT_FOUND = ProblemType.of(404, "breaker-not-found", "Breaker not found");
    public static final ProblemType COMMANDS_UNAVAILABLE = ProblemType.of(503, "commands-unavailable",
            "Commands cannot be sent now");

    private OpsProblems() {
    }

    /** A bad field of the body or a bad query parameter, named in {@code field}. */
    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(INVALID_REQUEST, detail, Map.of("field", field));
    }

    public static ProblemException notDeadLettered(String jobId) {
        return new ProblemException(NOT_DEAD_LETTERED, "job " + jobId + " is unknown or was never dead-lettered",
                Map.of("jobId", jobId));
    }

    public static ProblemException conflict(String jobId, String state, String detail) {
        Map<String, Object> members = new HashMap<>();
        members.put("jobId", jobId);
        members.put("state", state);
        return new ProblemException(JOB_STATE_CONFLICT, detail, members);
    }

    public static ProblemException operationNotFound(String id) {
        return new ProblemException(OPERATION_NOT_FOUND, "no operation with id " + id, Map.of("operationId", id));
    }

    /** Only a stage of a pipeline of the catalog has a breaker. */
    public static ProblemException breakerNotFound(String pipeline, String stage) {
        return new ProblemException(BREAKER_NOT_FOUND, "no stage '" + stage + "' in a pipeline '" + pipeline
                + "' of the pipeline catalog, so no breaker " + pipeline + "/" + stage,
                Map.of("pipeline", pipeline, "stage", stage));
    }

    public static ProblemException commandsUnavailable(String detail) {
        return new ProblemException(COMMANDS_UNAVAILABLE, detail, Map.of());
    }
}
