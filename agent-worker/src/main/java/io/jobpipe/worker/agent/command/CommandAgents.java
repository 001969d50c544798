package io.jobpipe.worker.agent.command;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;
import io.jobpipe.worker.agent.AgentRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@value #KIND} agent kind: makes the {@link CommandAgent} of a {@code command:<program>} binding. Settings
 * that cannot be read make an agent that fails every attempt with {@value #INVALID_SETTINGS} (not retryable), and
 * {@link #check} refuses them at start-up already.
 */
public final class CommandAgents implements AgentRegistry.Kind {
    public static final String KIND = "command";
    public static final String INVALID_SETTINGS = "InvalidCommandSettings";
    private static final Logger LOG = LoggerFactory.getLogger(CommandAgents.class);

    private final ProgramLocator locator;
    private final AttemptFolders folders;
    private final UnaryOperator<String> environment;

    /**
     * @param workspaceRoot  the worker's workspace; attempts run in {@code <workspace>/commands/...}
     * @param pipelineFolder the folder of the pipeline file, against which relative programs resolve
     * @param environment    the worker's environment, from which the allow-list is taken
     */
    public CommandAgents(Path workspaceRoot, Optional<Path> pipelineFolder, UnaryOperator<String> environment) {
        this.locator = new ProgramLocator(pipelineFolder);
        this.folders = new AttemptFolders(workspaceRoot);
        this.environment = environment;
    }

    @Override
    public Agent agentFor(AgentSpec spec) {
        CommandSettings settings;
        try {
            settings = settingsOf(spec);
        } catch (IllegalArgumentException e) {
            String message = "the settings of " + spec + " are wrong: " + e.getMessage();
            return call -> AgentOutcome.failure(INVALID_SETTINGS, message, false);
        }
        return new CommandAgent(spec.target(), settings, locator, folders, environment);
    }

    /**
     * Refuses, naming each pipeline and stage, every command binding of {@code catalog} whose settings are wrong or
     * whose relative program has no pipeline file to be relative to. A program missing on this machine is only
     * logged: it may be installed before the first job needs it, and its attempts say what is missing.
     *
     * @throws IllegalStateException listing the problems
     */
    public void check(PipelineCatalog catalog) {
        List<String> problems = new ArrayList<>();
        List<PipelineDefinition> pipelines = new ArrayList<>(catalog.pipelines().values());
        pipelines.sort(Comparator.comparing(PipelineDefinition::name));
        for (PipelineDefinition pipeline : pipelines) {
            for (StageDefinition stage : pipeline.stages()) {
                AgentSpec spec = stage.agent();
                if (!KIND.equals(spec.kind())) {
                    continue;
                }
                String where = "pipeline '" + pipeline.name() + "' stage '" + stage.name() + "' (" + spec + "): ";
                try {
                    settingsOf(spec);
                } catch (IllegalArgumentException e) {
                    problems.add(where + e.getMessage());
                }
                Optional<String> problem = locator.problem(spec.target());
                if (problem.isPresent()) {
                    problems.add(where + problem.get());
                    continue;
                }
                try {
                    locator.locate(spec.target(), CommandEnvironment.pathOf(environment));
                } catch (AgentException e) {
                    LOG.warn("{}{}; its attempts will fail until it is there", where, e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("command agents cannot run as configured:\n  " + String.join("\n  ", problems));
        }
    }

    private static CommandSettings settingsOf(AgentSpec spec) {
        return CommandSettings.parse(Json.MAPPER.valueToTree(spec.settings()));
    }
}
