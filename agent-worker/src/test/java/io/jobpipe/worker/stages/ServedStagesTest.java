package io.jobpipe.worker.stages;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServedStagesTest {
    private static final PipelineCatalog CATALOG = PipelineCatalogLoader.parse("""
            defaults:
              concurrency: 4
            pipelines:
              default:
                stages:
                  - name: validate
                  - name: act
                    concurrency: 2
              bulk:
                stages:
                  - name: validate
                    concurrency: 16
                  - name: act
                  - name: archive
                    concurrency: 1
            """);

    @Test
    void shouldServeEveryStageWithTheHighestConcurrencyOfThePipelinesSharingIt() {
        ServedStages served = ServedStages.select(CATALOG, List.of());

        assertThat(served.stages()).containsExactly(new ServedStage("validate", 16), new ServedStage("act", 4),
                new ServedStage("archive", 1));
    }

    @Test
    void shouldServeOnlyTheNamedStagesIgnoringBlanksAndRepeats() {
        ServedStages served = ServedStages.select(CATALOG, List.of(" act", "", "validate", "act"));

        assertThat(served.names()).containsExactly("act", "validate");
    }

    @Test
    void shouldRefuseAStageNoPipelineHasListingTheKnownOnes() {
        assertThatThrownBy(() -> ServedStages.select(CATALOG, List.of("validate", "valdate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jobpipe.worker.stages (JOBPIPE_WORKER_STAGES, --stages) names a stage no pipeline has: "
                        + "[valdate]; the pipelines' stages are [validate, act, archive]");
    }

    @Test
    void shouldSplitTheStagesAgentsIntoConsumersOfAtMostMaxPollRecordsEach() {
        assertThat(new ServedStage("act", 4).recordsPerPoll(50)).containsExactly(4);
        assertThat(new ServedStage("act", 4).recordsPerPoll(1)).containsExactly(1, 1, 1, 1);
        assertThat(new ServedStage("act", 120).recordsPerPoll(50)).containsExactly(40, 40, 40);
        assertThat(new ServedStage("act", 5).recordsPerPoll(2)).containsExactly(2, 2, 1);
    }
}
