package io.jobpipe.status.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.JobEvent;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What operators did to a job, read from its history: the replays it took, the ones it refused, and its
 * cancellation. Pure: events in, documents out.
 *
 * @param cancellation null unless the job was cancelled
 */
@Introspected
public record OpsHistory(List<Replay> replays, List<RefusedReplay> refusedReplays, Cancellation cancellation) {

    public static final OpsHistory NONE = new OpsHistory(List.of(), List.of(), null);

    /** One JobReplayed. */
    @Introspected
    public record Replay(String replayId, int replayNumber, String requestedBy, String reason, String filter,
                         String fromStage, boolean inputPatched, JsonNode inputPatch, Instant at) {
    }

    /** One ReplayRefused; {@code parked}: the job hit its replay cap and stays dead-lettered. */
    @Introspected
    public record RefusedReplay(String replayId, String requestedBy, String reason, String filter, String why,
                                boolean parked, Instant at) {
    }

    @Introspected
    public record Cancellation(String requestedBy, String reason, String filter, Instant at) {
    }

    /** The ops history in {@code events} (any job events, in seq order; the other types are ignored). */
    public static OpsHistory of(List<JobEvent> events) {
        List<Replay> replays = new ArrayList<>();
        List<RefusedReplay> refused = new ArrayList<>();
        Cancellation cancellation = null;
        for (JobEvent event : events) {
            if (event instanceof JobEvent.JobReplayed e) {
                replays.add(new Replay(e.replayId(), e.replayNumber(), e.requestedBy(), e.reason(), e.filter(),
                        e.fromStage() != null ? e.fromStage() : e.deadLetteredStage(), e.inputPatched(),
                        e.inputPatch(), e.occurredAt()));
            } else if (event instanceof JobEvent.ReplayRefused e) {
                refused.add(new RefusedReplay(e.replayId(), e.requestedBy(), e.reason(), e.filter(), e.why(),
                        e.parked(), e.occurredAt()));
            } else if (event instanceof JobEvent.JobCancelled e) {
                cancellation = new Cancellation(e.requestedBy(), e.reason(), e.filter(), e.occurredAt());
            }
        }
        return new OpsHistory(List.copyOf(replays), List.copyOf(refused), cancellation);
    }
}
