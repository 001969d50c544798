package io.jobpipe.orchestrator.metrics;

import io.jobpipe.orchestrator.machine.JobState;
import io.jobpipe.orchestrator.machine.Timer;
import io.jobpipe.orchestrator.machine.Transition;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.HashSet;
import java.util.Set;

/**
 * What one stream task's processor counts: written only by its stream thread, read by the scrape.
 * <p>Jobs in flight are counted at transitions (+1 when a job becomes ACCEPTED or RUNNING, -1 when it ends). A task
 * that starts with restored state first {@linkplain #recount counts} the jobs it inherits, from its timers: every
 * accepted or running job has a timer pending (the attempt's timeout or the retry), so the distinct job ids of the
 * timer store, looked up in the state store, are exactly those jobs. That costs one pass over the pending timers (in
 * memory) and one state read per job with a timer, once per task assignment, never per scrape or per record.
 */
public final class TaskMeters implements AutoCloseable {
    private final OrchestratorMetrics metrics;
    private volatile long jobsInFlight;
    private volatile long timersPending;

    TaskMeters(OrchestratorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Counts the task's accepted and running jobs and its timers, from its restored stores. */
    public void recount(KeyValueStore<String, JobState> states, KeyValueStore<String, Timer> timers) {
        Set<String> jobsWithTimers = new HashSet<>();
        try (KeyValueIterator<String, Timer> all = timers.all()) {
            while (all.hasNext()) {
                jobsWithTimers.add(all.next().value.jobId());
            }
        }
        jobsInFlight = jobsWithTimers.stream().filter(jobId -> OrchestratorMetrics.inFlight(states.get(jobId))).count();
        timersPending(timers.approximateNumEntries());
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

    /** The size of the task's timer store (exact for the in-memory store), taken on the stream thread. */
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
