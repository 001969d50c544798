package io.jobpipe.orchestrator.metrics;

import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.Transition;


/**
 * What one stream task's processor counts: written only by its stream thread, read by the scrape.
 * <p>Jobs in flight are counted at transitions (+1 when a job becomes ACCEPTED or RUNNING, -1 when it ends). A task
 * that starts with restored state first {@linkplain #recount counts} the jobs it inherits, during the one pass over
 * its state store that rebuilds its timers anyway: once per task assignment, never per scrape or per record.
 */
public final class TaskMeters implements AutoCloseable {
    private final OrchestratorMetrics metrics;
    private volatile long jobsInFlight;
    private volatile long timersPending;

    TaskMeters(OrchestratorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Sets the task's accepted and running jobs and its timers, counted from its restored state store. */
    public void recount(long jobsInFlight, long timersPending) {
        this.jobsInFlight = jobsInFlight;
        timersPending(timersPending);
    }

    /** Counts one transition: its events, and whether it started or ended a job. */
    public void transitioned(JobState before, Transition transition) {
        metrics.countEvents(transition);
        boolean wasInFlight = OrchestratorMetrics.inFlight(before);
        boolean isInFlight = OrchestratorMetrics.inFlight(transition.state());
        if (wasInFlight != isInFlight) {
            jobsInFlight += isInFlight ? 1 : -1;
        }
    }

    /** The number of the task's pending timers (its in-memory index, retention timers included), taken on the stream thread. */
    public void timersPending(long count) {
        timersPending = count;
    }

    long jobsInFlight() {
        return jobsInFlight;
    }

    long timersPending() {
        return timersPending;
    }

    @Override
    public void close() {
        metrics.closed(this);
    }
}
