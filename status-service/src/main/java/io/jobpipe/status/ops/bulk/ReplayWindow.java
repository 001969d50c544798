package io.jobpipe.status.ops.bulk;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.JobProgress;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs a bulk replay sent a command for and has not yet seen settle. A job settles once the read model shows an
 * event after the one it had when it was selected and rests in a state it only leaves by an operator's hand again:
 * it completed, failed, was cancelled, or is dead-lettered again (died anew, or its replay was refused). A job that
 * shows nothing within {@code giveUpAfter} leaves the window too: the orchestrator may have forgotten it (a dead
 * letter past its retention answers a replay with nothing at all), and the window only paces the replay, so it must
 * not wait for an answer that never comes. Pure.
 */
final class ReplayWindow {
    private final Duration giveUpAfter;
    private final Map<String, Sent> unsettled = new HashMap<>();
    private int unanswered;

    ReplayWindow(Duration giveUpAfter) {
        this.giveUpAfter = giveUpAfter;
    }

    private record Sent(long seqAtSelection, Instant at) {
    }

    /** A command went out for {@code jobId} at {@code at}; its latest event was {@code seqAtSelection} when selected. */
    void sent(String jobId, long seqAtSelection, Instant at) {
        unsettled.put(jobId, new Sent(seqAtSelection, at));
    }

    int unsettled() {
        return unsettled.size();
    }

    /** Jobs let go after {@code giveUpAfter} without any sign of their replay. */
    int unanswered() {
        return unanswered;
    }

    List<String> unsettledJobs() {
        return List.copyOf(unsettled.keySet());
    }

    /** Forgets the jobs that settled, as {@code progress} (the read model at {@code now}) shows; returns how many did. */
    int settle(Map<String, JobProgress> progress, Instant now) {
        int before = unsettled.size();
        unsettled.entrySet().removeIf(job -> {
            JobProgress seen = progress.get(job.getKey());
            boolean settled = seen != null && seen.lastSeq() > job.getValue().seqAtSelection()
                    && JobStatus.isTerminalName(seen.state());
            boolean moved = seen != null && seen.lastSeq() > job.getValue().seqAtSelection();
            if (!settled && !moved && !now.isBefore(job.getValue().at().plus(giveUpAfter))) {
                unanswered++;
                return true;
            }
            return settled;
        });
        return before - unsettled.size();
    }
}
