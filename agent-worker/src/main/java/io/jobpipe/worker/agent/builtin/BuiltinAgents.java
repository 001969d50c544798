package io.jobpipe.worker.agent.builtin;

import io.jobpipe.agent.Agent;
import io.jobpipe.worker.agent.builtin.rules.RuleBook;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The seven built-in agents (and the demo agent that fails on demand) by name, as {@code builtin:<name>} binds them in a pipeline file. */
public final class BuiltinAgents {
    private BuiltinAgents() {
    }

    /** With decide rules files looked for relative to the working directory. */
    public static Map<String, Agent> create(Workspace workspace, WebhookTransport transport, Clock clock,
                                            UnaryOperator<String> environment) {
        return create(workspace, transport, clock, environment, RuleBook.forPipelineFile(""));
    }

    /** @param decideRules the decide agent's compiled rule sets (checked at start-up) */
    public static Map<String, Agent> create(Workspace workspace, WebhookTransport transport, Clock clock,
                                            UnaryOperator<String> environment, RuleBook decideRules) {
        Map<String, Agent> agents = new LinkedHashMap<>();
        agents.put("validate", new ValidateAgent());
        agents.put("normalize", new NormalizeAgent());
        agents.put("enrich", new EnrichAgent());
        agents.put("decide", new DecideAgent(decideRules));
        agents.put("act", new ActAgent(workspace, transport));
        agents.put("record", new RecordAgent(workspace));
        agents.put("notify", new NotifyAgent(transport, clock, environment));
        // Not a pipeline stage of its own: the dev pipeline 'fails-on-demand' uses it to make dead letters.
        agents.put("fail-on-demand", new FailOnDemandAgent());
        // A placeholder stage; also what ./jobpipe bench worker runs to measure the worker itself.
        agents.put("noop", new NoopAgent());
        return agents;
    }
}
