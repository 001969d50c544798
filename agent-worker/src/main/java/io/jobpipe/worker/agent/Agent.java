package io.jobpipe.worker.agent;

import io.jobpipe.core.event.StageRequested;

/**
 * Runs one attempt of one stage. Implementations work only on {@code request.input()} and their
 * settings: no Kafka, no knowledge of the poll loop. They may throw {@link AgentException} to classify a
 * failure; any other exception counts as a retryable failure (see {@link AgentRunner}).
 */
@FunctionalInterface
public interface Agent {
    AgentOutcome run(StageRequested request);
}
