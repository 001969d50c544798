package io.jobpipe.orchestrator.machine;

/** Where the current attempt of a running job stands. */
public enum AttemptPhase {
    /** Dispatched to a worker; a result, a heartbeat or its deadline is awaited. */
    IN_FLIGHT,
    /** Failed; the next attempt is dispatched when the retry timer fires. */
    WAITING_FOR_RETRY,
    /** Not sent: the stage's circuit breaker holds it; {@code attempt} is the number it will have once released. */
    HELD,
    /** No attempt: the job has ended (or never had a pipeline). */
    NONE
}
