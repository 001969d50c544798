package io.jobpipe.core.pipeline;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All pipelines of a deployment and the routes that pick one for each job. Routes are tried in
 * order; the first match wins.
 */
public record PipelineCatalog(Map<String, PipelineDefinition> pipelines, List<Route> routes) {

    public PipelineCatalog {
        pipelines = Map.copyOf(new LinkedHashMap<>(pipelines));
        routes = List.copyOf(routes);
        if (pipelines.isEmpty()) {
            throw new IllegalArgumentException("no pipelines defined");
        }
        for (Route route : routes) {
            if (!pipelines.containsKey(route.pipeline())) {
                throw new IllegalArgumentException("route " + route + " names unknown pipeline '" + route.pipeline()
                        + "'; known: " + pipelines.keySet());
            }
        }
    }

    public Optional<PipelineDefinition> route(String connection, String eventType) {
        return routes.stream().filter(r -> r.matches(connection, eventType)).findFirst()
                .map(r -> pipelines.get(r.pipeline()));
    }

    public Optional<PipelineDefinition> pipeline(String name) {
        return Optional.ofNullable(pipelines.get(name));
    }

    /**
     * The same catalog with every stage's agent sealed ({@link SealedSettings}): what the orchestrator dispatches
     * from, so no inline secret or URL reaches a Kafka record.
     */
    public PipelineCatalog sealed() {
        Map<String, PipelineDefinition> sealed = new LinkedHashMap<>();
        pipelines.forEach((name, pipeline) -> sealed.put(name, new PipelineDefinition(name, pipeline.stages().stream()
                .map(stage -> new StageDefinition(stage.name(), SealedSettings.seal(stage.agent()), stage.timeout(),
                        stage.retry(), stage.concurrency(), stage.breaker()))
                .toList())));
        return new PipelineCatalog(sealed, routes);
    }

    /** Every stage name of every pipeline: one request topic and one dead-letter topic each. */
    public Set<String> allStageNames() {
        Set<String> names = new LinkedHashSet<>();
        pipelines.values().stream().sorted(java.util.Comparator.comparing(PipelineDefinition::name))
                .forEach(p -> names.addAll(p.stageNames()));
        return names;
    }
}
