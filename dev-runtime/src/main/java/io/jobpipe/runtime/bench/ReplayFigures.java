package io.jobpipe.runtime.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What a bulk replay of the seeded dead letters did: the operation as the ops API reports it, and the replayed jobs
 * as the job-events topic and the status service show them. Seconds are from the answer that started the operation.
 *
 * @param startFailure   why the operation could not be started, or null
 * @param dryRunMatched  the dead letters the filter matched in the dry run before the first phase
 * @param matched        the jobs the operation selected when it started
 * @param state          the operation's last state: running, done, failed or abandoned (null if never read)
 * @param sendingSeconds the operation's startedAt → finishedAt (the service's clock), null while it runs
 * @param jobs           the seeded jobs, all of which the replay must complete
 * @param completed      of {@code jobs}, those COMPLETED on the job-events topic
 * @param allCompletedSeconds when the last of {@code jobs} was seen COMPLETED, or null if some never were
 * @param statusCheck    the status service's states of {@code jobs}, or null when not checked
 */
public record ReplayFigures(String startFailure, String operationId, String replayId, String filter, String reason,
                            String inputPatch, int requestedRatePerSecond, long dryRunMatched, long matched, long sent,
                            long failed, String state, String error, Double sendingSeconds, long jobs, long completed,
                            long deadLetteredAgain, Double allCompletedSeconds, List<String> notCompletedExamples,
                            StatusCrossCheck.Result statusCheck) {

    /** Commands sent per second while the operation ran (the rate it achieved against the one asked for). */
    @JsonProperty
    public Double sentPerSecond() {
        return sendingSeconds == null || sendingSeconds <= 0 ? null : sent / sendingSeconds;
    }

    /** Replayed jobs completed per second, from the start of the operation to the last completion. */
    @JsonProperty
    public Double completedPerSecond() {
        return allCompletedSeconds == null || allCompletedSeconds <= 0 ? null : completed / allCompletedSeconds;
    }

    /** The operation is done, sent a command for every seeded job, and every one ended COMPLETED (on both sides). */
    @JsonProperty
    public boolean completedAll() {
        return startFailure == null && "done".equals(state) && failed == 0 && matched == jobs && sent == jobs
                && completed == jobs && (statusCheck == null || statusCheck.count("COMPLETED") == jobs);
    }
}
