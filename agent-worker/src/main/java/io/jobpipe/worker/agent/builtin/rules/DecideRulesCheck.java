package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A worker refuses to start with a decide rule that does not compile: every stage it serves that runs
 * {@code builtin:decide} has its rules compiled (and kept in the {@link RuleBook}) before the first job, and each
 * broken rule is named with its pipeline, stage, and the line and column of the problem.
 */
public final class DecideRulesCheck {
    private static final AgentSpec DECIDE = AgentSpec.builtin("decide");

    private DecideRulesCheck() {
    }

    /**
     * @param stages the stages this worker serves
     * @return how many decide stages were checked
     * @throws IllegalStateException listing every rule set that does not compile
     */
    public static int check(PipelineCatalog catalog, Collection<String> stages, RuleBook book) {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (PipelineDefinition pipeline : catalog.pipelines().values()) {
            List<StageDefinition> definitions = pipeline.stages();
            for (int i = 0; i < definitions.size(); i++) {
                StageDefinition stage = definitions.get(i);
                if (!stages.contains(stage.name()) || !isDecide(stage.agent())) {
                    continue;
                }
                checked++;
                JsonNode settings = Json.MAPPER.valueToTree(stage.agent().settings());
                try {
                    book.forSettings(settings);
                } catch (RuleLanguage.InvalidRuleException e) {
                    problems.add("pipelines." + pipeline.name() + ".stages[" + i + "] (" + stage.name() + "): "
                            + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("decide rules that do not compile; fix them in the pipeline file:\n"
                    + String.join("\n", problems));
        }
        return checked;
    }

    private static boolean isDecide(AgentSpec agent) {
        return agent.kind().equals(DECIDE.kind()) && agent.target().equals(DECIDE.target());
    }
}
