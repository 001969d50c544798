package io.jobpipe.worker.agent.builtin;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.Json;

/**
 * Does nothing and succeeds with an empty output: a placeholder stage while a pipeline is drafted, and the agent of
 * {@code ./jobpipe bench worker}, which measures the worker's own cost per record against a raw share-consumer hop.
 */
public final class NoopAgent implements Agent {
    @Override
    public AgentOutcome run(AgentCall call) {
        return AgentOutcome.success(Json.MAPPER.createObjectNode(), "nothing to do");
    }
}
