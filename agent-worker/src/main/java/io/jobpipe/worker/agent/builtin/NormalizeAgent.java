package io.jobpipe.worker.agent.builtin;

import io.jobpipe.core.event.StageRequested;
import io.jobpipe.worker.agent.Agent;
import io.jobpipe.worker.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;

/** Maps the payload to one canonical event: {@code {source, type, subject, actor, links[], occurredAt?}}. */
public final class NormalizeAgent implements Agent {

    @Override
    public AgentOutcome run(StageRequested request) {
        StageInput input = StageInput.of(request);
        CanonicalEvent event = EventNormalizer.normalize(input.connection(), input.eventType(), input.payload());
        return AgentOutcome.success(event.toJson(), event.describe());
    }
}
