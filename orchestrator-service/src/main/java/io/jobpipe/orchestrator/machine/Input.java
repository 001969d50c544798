package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.OpsCommand;
import io.jobpipe.core.event.StageResult;

/** Everything that can move a job: its request, a worker's report, one of its own timers, or an operator. */
public sealed interface Input {

    String jobId();

    /** A job was requested; {@code traceparent} is the W3C trace context the job keeps for all its records. */
    record Requested(JobRequested request, String traceparent) implements Input {
        @Override
        public String jobId() {
            return request.jobId();
        }
    }

    record ResultReceived(StageResult result) implements Input {
        @Override
        public String jobId() {
            return result.jobId();
        }
    }

    /** An operator's replay or cancel from {@code jobpipe.ops.commands}. */
    record CommandReceived(OpsCommand command) implements Input {
        @Override
        public String jobId() {
            return command.jobId();
        }
    }

    /**
     * The orchestrator lets a job held by {@code breaker} go on: the breaker closed, or the job is its probe.
     * Not a record on a topic: the processor decides it from the breakers' states.
     */
    record Release(String jobId, String breaker, boolean probe, String reason) implements Input {
    }

    record TimerFired(Timer timer) implements Input {
        @Override
        public String jobId() {
            return timer.jobId();
        }
    }
}
