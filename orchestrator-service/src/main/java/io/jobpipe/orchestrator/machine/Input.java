package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobRequested;
import io.jobpipe.core.event.StageResult;

/** Everything that can move a job: its request, a worker's report, or one of its own timers. */
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

    record TimerFired(Timer timer) implements Input {
        @Override
        public String jobId() {
            return timer.jobId();
        }
    }
}
