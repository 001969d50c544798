package io.jobpipe.status.ops.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.status.store.JobSelection;

import java.util.List;
import java.util.Locale;

/**
 * A bulk replay or cancel as the caller asked for it, validated.
 *
 * @param selection     the filter, or null when {@code jobIds} name the jobs
 * @param jobIds        the jobs named one by one, or null
 * @param replayId      the one replay id of every command (replays only)
 * @param ratePerSecond at most this many commands a second
 * @param limit         at most this many jobs
 * @param maxRunning    replays only: at most this many of the operation's replayed jobs unfinished at once (0: no
 *                      bound), so that a large replay yields to live traffic instead of queueing ahead of it
 */
public record BulkPlan(Kind kind, JobSelection selection, List<String> jobIds, String reason, String replayId,
                       String fromStage, JsonNode inputPatch, boolean dryRun, int ratePerSecond, int limit,
                       int maxRunning) {

    public enum Kind {
        REPLAY, CANCEL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The selection as the text written into each command's {@code filter}. */
    public String filterText() {
        if (selection != null) {
            return selection.canonical();
        }
        List<String> shown = jobIds.size() <= 10 ? jobIds : jobIds.subList(0, 10);
        return "jobIds=" + String.join(",", shown) + (jobIds.size() > 10 ? ",…(" + jobIds.size() + " in all)" : "");
    }
}
