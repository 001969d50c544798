package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;

/**
 * Adds derived context (hash, size, field count, keywords, labels, priority) to the canonical event.
 * Settings: {@code highPriorityWords} adds words that make an event high priority.
 */
public final class EnrichAgent implements Agent {

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        CanonicalEvent event = EventNormalizer.canonicalEventOf(input);
        ObjectNode enrichment = Enricher.enrich(event, input.payload(), Enricher.strings(input.setting("highPriorityWords")));
        return AgentOutcome.success(enrichment, enrichment.path("priority").asText() + " priority, "
                + enrichment.path("sizeBytes").asLong() + " bytes, " + enrichment.path("fieldCount").asInt()
                + " fields, keywords: " + String.join(", ", Enricher.strings(enrichment.path("keywords"))));
    }
}
