package io.jobpipe.worker.agent.builtin.rules;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every example's decide rules compile, as a worker checks them at start-up: a broken rule in an example would
 * otherwise surface only as a worker that does not start in that example's slow end-to-end test.
 */
class ExampleRulesTest {

    private static List<Path> examplePipelines() throws IOException {
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        try (Stream<Path> dirs = Files.list(examples)) {
            return dirs.map(dir -> dir.resolve("pipeline.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void shouldCompileTheDecideRulesOfEveryExample() throws IOException {
        List<Path> pipelines = examplePipelines();
        assertThat(pipelines).as("examples/*/pipeline.yaml").isNotEmpty();
        for (Path file : pipelines) {
            PipelineCatalog catalog = PipelineCatalogLoader.load(file.toString());
            assertThatCode(() -> DecideRulesCheck.check(catalog, catalog.allStageNames(),
                    RuleBook.forPipelineFile(file.toString()))).as(file.toString()).doesNotThrowAnyException();
        }
    }
}
