package io.jobpipe.orchestrator.machine;

import io.jobpipe.core.breaker.BreakerState;

/**
 * The circuit breakers as the orchestrator sees them at one moment: an argument of each transition, like the time,
 * so the state machine stays a pure function.
 */
@FunctionalInterface
public interface BreakerView {
    /** No breaker holds anything. */
    BreakerView ALL_CLOSED = breaker -> null;

    /** The latest known state of {@code breaker} ({@code <pipeline>/<stage>}), or null if it never left CLOSED. */
    BreakerState stateOf(String breaker);

    /** The state of {@code breaker} when it holds new dispatches, else null. */
    default BreakerState holding(String breaker) {
        BreakerState state = stateOf(breaker);
        return state != null && state.holdsDispatches() ? state : null;
    }
}
