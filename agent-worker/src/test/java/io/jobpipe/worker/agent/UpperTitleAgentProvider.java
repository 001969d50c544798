package io.jobpipe.worker.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.agent.AgentProvider;
import io.jobpipe.core.event.Json;

import java.util.Locale;

/** A user's own agent as a jar would ship it, listed in this module's test META-INF/services. */
public final class UpperTitleAgentProvider implements AgentProvider {
    @Override
    public String name() {
        return "upper-title";
    }

    @Override
    public Agent create() {
        return call -> {
            ObjectNode output = Json.MAPPER.createObjectNode();
            output.put("title", call.payload().path("title").asText().toUpperCase(Locale.ROOT));
            return AgentOutcome.success(output, "title in capitals");
        };
    }
}
