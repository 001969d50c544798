package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.event.StageRequested;

import java.time.Instant;

/** What a transition asks the outside world to do, in order. */
public sealed interface Output {

    /** Append to the job's history. */
    record EmitJobEvent(JobEvent event) implements Output {
    }

    /** Send one attempt of a stage to that stage's workers. */
    record DispatchStage(StageRequested request) implements Output {
    }

    /** Feed {@code timer} back into the machine once the clock reaches {@code at}. */
    record ScheduleTimer(Timer timer, Instant at) implements Output {
    }

    /** Drop everything remembered about a finished job: its retention is over. */
    record ForgetJob(String jobId) implements Output {
    }

    /** Park the request of a stage that ran out of attempts, with why and when it failed. */
    record DeadLetter(StageRequested request, String errorType, String message, int attempts,
                      Instant firstFailureAt, Instant lastFailureAt) implements Output {
    }
}
