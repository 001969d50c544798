package io.jobpipe.core.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.List;

/**
 * The events of a successful run of {@code stages}, as the orchestrator writes them: accepted, then dispatched and
 * completed per stage (each output with a subject), then completed; {@code 2 + 2 x stages} events, seq from 1. For
 * benchmarks that need the orchestrator's traffic without the orchestrator (status's {@code bench-projection},
 * {@code ./jobpipe bench sse}).
 */
public final class SyntheticRun {
    public static final List<String> DEFAULT_STAGES = List.of("validate", "normalize", "enrich", "decide", "act",
            "record", "notify");

    private SyntheticRun() {
    }

    public static int events(List<String> stages) {
        return 2 + 2 * stages.size();
    }

    /** Event {@code step} (0-based) of the run of job {@code jobId}, from {@code connection}, occurring {@code at}. */
    public static JobEvent event(String jobId, int step, List<String> stages, String connection, Instant at) {
        long seq = step + 1;
        String id = "evt-" + jobId + "-" + seq;
        if (step == 0) {
            return new JobEvent.JobAccepted(id, jobId, at, seq, connection, "delivery-" + jobId, "push",
                    "req-" + jobId, "default", stages);
        }
        if (step == events(stages) - 1) {
            return new JobEvent.JobCompleted(id, jobId, at, seq);
        }
        int stage = (step - 1) / 2;
        if ((step - 1) % 2 == 0) {
            return new JobEvent.StageDispatched(id, jobId, at, seq, stages.get(stage), stage, 1, at.plusSeconds(30));
        }
        return new JobEvent.StageCompleted(id, jobId, at, seq, stages.get(stage), 1, at.minusMillis(30), 30,
                stages.get(stage) + " done", JsonNodeFactory.instance.objectNode()
                        .put("subject", "synthetic run of " + jobId).put("ok", true).put("count", stage));
    }
}
