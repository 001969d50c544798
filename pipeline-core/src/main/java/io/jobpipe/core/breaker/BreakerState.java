package io.jobpipe.core.breaker;

import java.time.Instant;
import java.util.Objects;

/**
 * The state of one stage's circuit breaker. Value of the compacted topic {@code jobpipe.breakers}, key =
 * {@code breaker} ({@code <pipeline>/<stage>}): the latest record is the breaker's state. Written by the orchestrator
 * (it opens, probes and closes breakers from attempt outcomes) and by operators (the ops API opens or closes one by
 * hand); read by every orchestrator instance and the status service.
 *
 * @param since   when it entered this state; a newer record about the same breaker replaces an older one
 * @param reason  why, for people: the figures that opened it, or the operator's reason
 * @param changedBy {@value #ORCHESTRATOR}, or the operator's token name
 * @param manual  an operator opened it: it stays open until an operator closes it (no probes)
 */
public record BreakerState(String breaker, String pipeline, String stage, Status status, Instant since, String reason,
                           String changedBy, boolean manual) {
    /** {@code changedBy} of a state the orchestrator decided. */
    public static final String ORCHESTRATOR = "orchestrator";

    public enum Status {
        /** Dispatches go out. */
        CLOSED,
        /** Dispatches are held; after the cooldown (unless opened by hand) one held job is sent as a probe. */
        OPEN,
        /** A probe is out; dispatches are still held until it succeeds. */
        HALF_OPEN
    }

    public BreakerState {
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        if (breaker == null) {
            breaker = nameOf(pipeline, stage);
        } else if (!breaker.equals(nameOf(pipeline, stage))) {
            throw new IllegalArgumentException("breaker " + breaker + " is not " + nameOf(pipeline, stage));
        }
    }

    /**
     * A breaker is per stage of a pipeline: two pipelines may share a stage name (and its topic and workers) while
     * calling different agents, and one failing must not hold the other.
     */
    public static String nameOf(String pipeline, String stage) {
        return pipeline + "/" + stage;
    }

    public boolean holdsDispatches() {
        return status != Status.CLOSED;
    }
}
