package io.jobpipe.status.ops.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobStatus;
import io.jobpipe.status.ops.bulk.BulkPlan;
import io.jobpipe.status.ops.command.OpsIds;
import io.jobpipe.status.store.JobSelection;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /ops/dead-letters/replay} and {@code POST /ops/jobs/cancel} into a {@link BulkPlan}.
 * Pure apart from the catalog's stage names it is given.
 */
final class BulkRequests {
    static final int DEFAULT_RATE = 100;
    /**
     * Replayed jobs of one operation unfinished at once, unless the request says otherwise: live jobs on the same
     * stage topics queue behind at most this many. Measured (docs/BENCHMARKS.md, issue 8): beside 100 live jobs/s on
     * the 2-core machine, 10 kept the live p99 at 1.04× its value without the replay (the 10,000 replays took 194 s);
     * 50 let it grow 6×, no bound (500 commands/s) 12×.
     */
    static final int DEFAULT_MAX_RUNNING = 10;
    static final int MAX_RUNNING = 10_000;
    static final int MAX_RATE = 1_000;
    /** The most jobs one operation selects; a larger backlog is worked through in several operations. */
    static final int MAX_JOBS = 100_000;
    private static final Set<String> REPLAY_FIELDS = Set.of("filter", "jobIds", "reason", "replayId", "fromStage",
            "inputPatch", "dryRun", "ratePerSecond", "limit", "maxRunning");
    private static final Set<String> CANCEL_FIELDS = Set.of("filter", "jobIds", "reason", "dryRun", "ratePerSecond",
            "limit");
    private static final Set<String> REPLAY_FILTER = Set.of("stage", "errorClass", "connection", "pipeline", "since",
            "until");
    private static final Set<String> CANCEL_FILTER = Set.of("stage", "errorClass", "connection", "pipeline", "since",
            "until", "state");
    private static final Set<JobStatus> CANCEL_STATES = EnumSet.of(JobStatus.RUNNING, JobStatus.HELD,
            JobStatus.DEAD_LETTERED);

    private BulkRequests() {
    }

    static BulkPlan replay(String body, Set<String> knownStages) {
        JsonNode request = RequestFields.object(body, REPLAY_FIELDS);
        String fromStage = RequestFields.text(request, "fromStage");
        if (fromStage != null && !knownStages.contains(fromStage)) {
            throw OpsProblems.invalid("fromStage", "fromStage '" + fromStage + "' is no stage of any pipeline; known: "
                    + knownStages);
        }
        String replayId = RequestFields.id(request, "replayId");
        return plan(BulkPlan.Kind.REPLAY, request, REPLAY_FILTER, replayId != null ? replayId : OpsIds.newReplayId(),
                fromStage, RequestFields.json(request, "inputPatch"));
    }

    static BulkPlan cancel(String body) {
        return plan(BulkPlan.Kind.CANCEL, RequestFields.object(body, CANCEL_FIELDS), CANCEL_FILTER, null, null, null);
    }

    private static BulkPlan plan(BulkPlan.Kind kind, JsonNode request, Set<String> filterFields, String replayId,
                                 String fromStage, JsonNode inputPatch) {
        String reason = RequestFields.reason(request);
        List<String> jobIds = RequestFields.jobIds(request, "jobIds", MAX_JOBS);
        JsonNode filter = request.get("filter");
        boolean hasFilter = filter != null && !filter.isNull();
        if (hasFilter == (jobIds != null)) {
            throw OpsProblems.invalid("filter", "give either 'filter' (an object, {} for every job) or 'jobIds'"
                    + " (a list), not " + (hasFilter ? "both" : "neither"));
        }
        JobSelection selection = hasFilter ? selection(kind, RequestFields.object(filter, "filter", filterFields)) : null;
        return new BulkPlan(kind, selection, jobIds, reason, replayId, fromStage, inputPatch,
                RequestFields.bool(request, "dryRun"),
                RequestFields.integer(request, "ratePerSecond", 1, MAX_RATE, DEFAULT_RATE),
                RequestFields.integer(request, "limit", 1, MAX_JOBS, MAX_JOBS),
                kind == BulkPlan.Kind.REPLAY
                        ? RequestFields.integer(request, "maxRunning", 0, MAX_RUNNING, DEFAULT_MAX_RUNNING) : 0);
    }

    private static JobSelection selection(BulkPlan.Kind kind, JsonNode filter) {
        Set<JobStatus> states = kind == BulkPlan.Kind.REPLAY ? EnumSet.of(JobStatus.DEAD_LETTERED) : states(filter);
        return new JobSelection(states, RequestFields.text(filter, "stage"), RequestFields.text(filter, "errorClass"),
                RequestFields.text(filter, "connection"), RequestFields.text(filter, "pipeline"),
                RequestFields.instant("since", RequestFields.text(filter, "since")),
                RequestFields.instant("until", RequestFields.text(filter, "until")));
    }

    /** {@code state}: RUNNING, HELD, DEAD_LETTERED, or a list of them; all three when absent. */
    private static Set<JobStatus> states(JsonNode filter) {
        JsonNode state = filter.get("state");
        if (state == null || state.isNull()) {
            return CANCEL_STATES;
        }
        Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
        for (JsonNode one : state.isArray() ? state : List.of(state)) {
            JobStatus parsed = one.isTextual() ? parse(one.asText()) : null;
            if (parsed == null || !CANCEL_STATES.contains(parsed)) {
                throw OpsProblems.invalid("state", "filter.state must be RUNNING, HELD, DEAD_LETTERED or a list of"
                        + " them");
            }
            states.add(parsed);
        }
        if (states.isEmpty()) {
            throw OpsProblems.invalid("state", "filter.state must name at least one state");
        }
        return states;
    }

    private static JobStatus parse(String text) {
        try {
            return JobStatus.valueOf(text.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
