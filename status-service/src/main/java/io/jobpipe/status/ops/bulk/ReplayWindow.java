package io.jobpipe.status.ops.bulk;

import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.store.JobProgress;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs a bulk replay sent a command for and has not yet seen settle. A job settles once the read model shows an
 * event after the one it had when it was selected and rests in a state it only leaves by an operator's hand again:
 * it completed, failed, was cancelled, or is dead-lettered again (died anew, or its replay was refused). Pure.
 */
final class ReplayWindow {
    private final Map<String, Long> unsettled = new HashMap<>();

    /** A command went out for {@code jobId}, whose latest event was {@code seqAtSelection} when it was selected. */
    void sent(String jobId, long seqAtSelection) {
        unsettled.put(jobId, seqAtSelection);
    }

    int unsettled() {
        return unsettled.size();
    }

    List<String> unsettledJobs() {
        return List.copyOf(unsettled.keySet());
    }

    /** Forgets the jobs that settled, as {@code progress} (the read model now) shows; returns how many did. */
    int settle(Map<String, JobProgress> progress) {
        int before = unsettled.size();
        unsettled.entrySet().removeIf(job -> {
            JobProgress now = progress.get(job.getKey());
            return now != null && now.lastSeq() > job.getValue() && JobStatus.isTerminalName(now.state());
        });
        return before - unsettled.size();
    }
}
