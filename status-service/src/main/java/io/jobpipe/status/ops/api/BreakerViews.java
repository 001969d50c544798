package io.jobpipe.status.ops.api;

import io.jobpipe.core.breaker.BreakerState;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;
import io.jobpipe.status.breaker.BreakerBoard;
import io.jobpipe.status.store.OpsQueries;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The breakers as operators see them: one per stage of each pipeline of the catalog, with its state and held jobs. */
@Singleton
public class BreakerViews {
    private final PipelineCatalog catalog;
    private final BreakerBoard board;
    private final OpsQueries queries;

    public BreakerViews(PipelineCatalog catalog, BreakerBoard board, OpsQueries queries) {
        this.catalog = catalog;
        this.board = board;
        this.queries = queries;
    }

    public BreakerList all() {
        Map<String, Long> held = queries.heldByBreaker();
        List<BreakerDocument> items = new ArrayList<>();
        catalog.pipelines().values().stream().sorted(Comparator.comparing(PipelineDefinition::name))
                .forEach(p -> p.stages().forEach(s -> items.add(document(p.name(), s, held))));
        return new BreakerList(List.copyOf(items));
    }

    public BreakerDocument one(String pipeline, String stage) {
        return document(pipeline, stageOf(pipeline, stage), queries.heldByBreaker());
    }

    /** The stage of the catalog, or a 404: only the catalog's stages have breakers. */
    StageDefinition stageOf(String pipeline, String stage) {
        return catalog.pipeline(pipeline).flatMap(p -> p.stage(stage))
                .orElseThrow(() -> OpsProblems.breakerNotFound(pipeline, stage));
    }

    private BreakerDocument document(String pipeline, StageDefinition stage, Map<String, Long> held) {
        String name = BreakerState.nameOf(pipeline, stage.name());
        return BreakerDocument.of(pipeline, stage.name(), board.state(name).orElse(null), stage.breaker(),
                held.getOrDefault(name, 0L));
    }
}
