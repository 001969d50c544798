package io.jobpipe.status.ops;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.status.TestEvents;

import java.time.Instant;
import java.util.List;

import static io.jobpipe.status.TestEvents.eid;

/** Job histories for the ops tests: dead-lettered at a chosen stage with a chosen error, on a chosen connection. */
final class OpsJobs {
    private OpsJobs() {
    }

    static JobEvent.JobAccepted accepted(String jobId, Instant t0, String connection) {
        return new JobEvent.JobAccepted(eid(jobId, 1), jobId, t0, 1, connection, "d-" + jobId, "push",
                "req-" + jobId, "default", TestEvents.STAGES);
    }

    /** Accepted at {@code t0}, {@code stage} dispatched, then dead-lettered at {@code t0 + 10 s}: seq 1..3. */
    static List<JobEvent> deadLettered(String jobId, Instant t0, String connection, String stage, String errorType) {
        int index = TestEvents.STAGES.indexOf(stage);
        return List.of(accepted(jobId, t0, connection),
                new JobEvent.StageDispatched(eid(jobId, 2), jobId, t0.plusSeconds(1), 2, stage, index, 1,
                        t0.plusSeconds(31)),
                new JobEvent.JobDeadLettered(eid(jobId, 3), jobId, t0.plusSeconds(10), 3, stage, 4, errorType,
                        "it broke at " + stage, "jobpipe.stage." + stage + ".dlq"));
    }

    /** Accepted and its first stage dispatched: RUNNING. */
    static List<JobEvent> running(String jobId, Instant t0, String connection) {
        return List.of(accepted(jobId, t0, connection),
                new JobEvent.StageDispatched(eid(jobId, 2), jobId, t0.plusSeconds(1), 2, "validate", 0, 1,
                        t0.plusSeconds(31)));
    }
}
