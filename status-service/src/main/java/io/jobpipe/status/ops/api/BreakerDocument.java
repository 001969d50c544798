package io.jobpipe.status.ops.api;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.pipeline.BreakerPolicy;
import io.micronaut.core.annotation.Introspected;

import java.time.Instant;

/**
 * One breaker in {@code GET /ops/breakers}: its state as {@code jobpipe.breakers} last said (CLOSED, with no
 * since/reason/changedBy, when it never said anything), the stage's policy, and how many jobs wait at it now.
 *
 * @param breaker   {@code <pipeline>/<stage>}
 * @param state     CLOSED, OPEN or HALF_OPEN
 * @param changedBy {@code orchestrator} or the name of the operator's token
 * @param manual    opened by an operator: no probes, it stays open until an operator closes it
 * @param heldJobs  jobs HELD at this stage of this pipeline, as the read model has them
 * @param url       this document
 */
@Introspected
public record BreakerDocument(String breaker, String pipeline, String stage, String state, Instant since,
                              String reason, String changedBy, boolean manual, long heldJobs, Policy policy,
                              String url) {

    /** The stage's {@link BreakerPolicy}; {@code cooldown} as ISO-8601 ({@code PT30S}). */
    @Introspected
    public record Policy(boolean enabled, double failureRate, int window, int minimumAttempts, String cooldown) {
        static Policy of(BreakerPolicy p) {
            return new Policy(p.enabled(), p.failureRate(), p.window(), p.minimumAttempts(), p.cooldown().toString());
        }
    }

    /** {@code state} is null for a breaker without a record. */
    static BreakerDocument of(String pipeline, String stage, BreakerState state, BreakerPolicy policy, long held) {
        String name = BreakerState.nameOf(pipeline, stage);
        return state == null
                ? new BreakerDocument(name, pipeline, stage, BreakerState.Status.CLOSED.name(), null, null, null, false,
                        held, Policy.of(policy), urlOf(pipeline, stage))
                : new BreakerDocument(name, pipeline, stage, state.status().name(), state.since(), state.reason(),
                        state.changedBy(), state.manual(), held, Policy.of(policy), urlOf(pipeline, stage));
    }

    static String urlOf(String pipeline, String stage) {
        return "/ops/breakers/" + pipeline + "/" + stage;
    }
}
