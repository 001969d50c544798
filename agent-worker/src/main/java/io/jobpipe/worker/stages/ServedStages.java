package io.jobpipe.worker.stages;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages one worker process runs: all of the catalog's, or those named by {@code jobpipe.worker.stages}
 * ({@code JOBPIPE_WORKER_STAGES}, {@code ./jobpipe worker --stages}), each with its concurrency. A name the catalog
 * does not know stops the worker at start-up with the names it does know: a typo must not leave a stage unserved.
 */
public record ServedStages(List<ServedStage> stages) {

    public ServedStages {
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("a worker must serve at least one stage");
        }
    }

    /**
     * @param wanted the configured stage names (blank entries ignored); none means every stage of the catalog
     */
    public static ServedStages select(PipelineCatalog catalog, Collection<String> wanted) {
        Map<String, Integer> concurrency = concurrencyByStage(catalog);
        Set<String> names = new LinkedHashSet<>();
        if (wanted != null) {
            wanted.stream().map(String::trim).filter(name -> !name.isEmpty()).forEach(names::add);
        }
        if (names.isEmpty()) {
            names.addAll(concurrency.keySet());
        }
        List<String> unknown = names.stream().filter(name -> !concurrency.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("jobpipe.worker.stages (JOBPIPE_WORKER_STAGES, --stages) names "
                    + (unknown.size() == 1 ? "a stage" : "stages") + " no pipeline has: " + unknown
                    + "; the pipelines' stages are " + concurrency.keySet());
        }
        List<ServedStage> served = new ArrayList<>();
        names.forEach(name -> served.add(new ServedStage(name, concurrency.get(name))));
        return new ServedStages(served);
    }

    /** Every stage name of the catalog, in its order, with the highest concurrency any pipeline gives it. */
    private static Map<String, Integer> concurrencyByStage(PipelineCatalog catalog) {
        Map<String, Integer> concurrency = new LinkedHashMap<>();
        for (String name : catalog.allStageNames()) {
            concurrency.put(name, 0);
        }
        for (PipelineDefinition pipeline : catalog.pipelines().values()) {
            for (StageDefinition stage : pipeline.stages()) {
                concurrency.merge(stage.name(), stage.concurrency(), Math::max);
            }
        }
        return concurrency;
    }

    public List<String> names() {
        return stages.stream().map(ServedStage::name).toList();
    }
}
