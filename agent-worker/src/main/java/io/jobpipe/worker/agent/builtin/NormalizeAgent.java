package io.jobpipe.worker.agent.builtin;

import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;

/** Maps the payload to one canonical event: {@code {source, type, subject, actor, links[], occurredAt?}}. */
public final class NormalizeAgent implements Agent {

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        CanonicalEvent event = EventNormalizer.normalize(input.connection(), input.eventType(), input.payload());
        return AgentOutcome.success(event.toJson(), event.describe());
    }
}
