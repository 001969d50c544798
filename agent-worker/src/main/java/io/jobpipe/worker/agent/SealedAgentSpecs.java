package io.jobpipe.worker.agent;

import io.jobpipe.agent.AgentException;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.SealedSettings;

import java.util.HashMap;
import java.util.Map;

/**
 * Opens the sealed agent specs of stage requests from the worker's own pipeline catalog (the file the orchestrator
 * loads too, {@link SealedSettings}): the agent runs with the worker's plain secrets and URLs, the orchestrator's
 * values for everything else. A sealed value the worker cannot open (no such stage here, or a different value) fails
 * the attempt for good, naming what to fix; a request with nothing sealed runs as it came.
 */
public final class SealedAgentSpecs {
    public static final String UNAVAILABLE = "SealedSettingsUnavailable";
    public static final String MISMATCH = "SealedSettingsMismatch";

    private record Local(AgentSpec plain, AgentSpec sealed) {
    }

    private final Map<String, Local> byStage;

    /** Seals each stage's spec once, at start-up: a request only compares strings. */
    public SealedAgentSpecs(PipelineCatalog catalog) {
        Map<String, Local> specs = new HashMap<>();
        catalog.pipelines().forEach((name, pipeline) -> pipeline.stages().forEach(stage -> specs.put(
                key(name, stage.name()), new Local(stage.agent(), SealedSettings.seal(stage.agent())))));
        this.byStage = Map.copyOf(specs);
    }

    private SealedAgentSpecs() {
        this.byStage = Map.of();
    }

    /** Opens nothing: for tests and tools that run requests with settings in clear. */
    public static SealedAgentSpecs none() {
        return new SealedAgentSpecs();
    }

    /** The spec {@code request}'s agent runs with. */
    public AgentSpec agentFor(StageRequested request) {
        AgentSpec received = request.agent();
        if (!SealedSettings.isSealed(received)) {
            return received;
        }
        Local local = byStage.get(key(request.pipeline(), request.stage()));
        if (local == null) {
            throw AgentException.permanent(UNAVAILABLE, "stage '" + request.stage() + "' of pipeline '"
                    + request.pipeline() + "' came with sealed settings (its secrets and URLs stay out of Kafka), but"
                    + " this worker's pipeline file has no such stage to open them from: give the worker the"
                    + " orchestrator's pipeline file (JOBPIPE_PIPELINES_FILE)");
        }
        try {
            return SealedSettings.unseal(received, local.plain(), local.sealed());
        } catch (SealedSettings.Mismatch e) {
            throw AgentException.permanent(MISMATCH, "stage '" + request.stage() + "' of pipeline '"
                    + request.pipeline() + "': " + e.getMessage() + "; give the worker the orchestrator's pipeline"
                    + " file (JOBPIPE_PIPELINES_FILE)");
        }
    }

    private static String key(String pipeline, String stage) {
        return pipeline + "\n" + stage;
    }
}
