package io.jobpipe.e2e;

import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every folder under {@code examples/} is a complete example: a pipeline file the real catalog loader accepts, a
 * README that says how to run it, an end-to-end test ({@link ExampleSystem#testClassName}), and a line in the
 * top-level README's "Examples" list. Starts nothing.
 */
class ExamplesTest {

    @Test
    void shouldHaveAtLeastOneExample() throws IOException {
        assertThat(exampleNames()).contains("slack-slash-command");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleIsComplete() throws IOException {
        return exampleNames().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = ExampleSystem.exampleDir(name);
            Path pipeline = dir.resolve(ExampleSystem.PIPELINE_FILE);
            assertThat(pipeline).as("examples/%s needs a %s", name, ExampleSystem.PIPELINE_FILE).isRegularFile();
            assertThatCode(() -> PipelineCatalogLoader.load(pipeline.toString()))
                    .as("examples/%s/%s must load", name, ExampleSystem.PIPELINE_FILE).doesNotThrowAnyException();
            PipelineCatalog catalog = PipelineCatalogLoader.load(pipeline.toString());
            assertThat(catalog.routes()).as("examples/%s routes something", name).isNotEmpty();

            Path readme = dir.resolve("README.md");
            assertThat(readme).as("examples/%s needs a README.md", name).isRegularFile();
            assertThat(Files.readString(readme)).as("examples/%s/README.md says how to run it", name)
                    .contains("./jobpipe up --pipelines examples/" + name + "/" + ExampleSystem.PIPELINE_FILE);

            String testClass = ExampleSystem.testClassName(name);
            assertThatCode(() -> Class.forName(testClass)).as("examples/%s needs its end-to-end test %s", name, testClass)
                    .doesNotThrowAnyException();

            assertThat(Files.readString(EndToEndTest.repositoryRoot().resolve("README.md")))
                    .as("the top-level README lists examples/%s", name).contains("(examples/" + name + "/)");
        }));
    }

    @Test
    void shouldNameEachExamplesTestAfterItsFolder() {
        assertThat(ExampleSystem.testClassName("slack-slash-command"))
                .isEqualTo("io.jobpipe.e2e.ExampleSlackSlashCommandTest");
        assertThat(ExampleSystem.testClassName("pr-bot")).isEqualTo("io.jobpipe.e2e.ExamplePrBotTest");
    }

    private static List<String> exampleNames() throws IOException {
        Path examples = EndToEndTest.repositoryRoot().resolve(ExampleSystem.EXAMPLES);
        try (Stream<Path> dirs = Files.list(examples)) {
            return dirs.filter(Files::isDirectory).map(dir -> dir.getFileName().toString()).sorted().toList();
        }
    }
}
