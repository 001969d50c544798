package io.jobpipe.worker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A worker whose configuration names a stage no pipeline has, or a decide rule that does not compile, does not start. */
class WorkerStartupChecksTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseToStartWithAStageNoPipelineHasListingTheKnownOnes() {
        Throwable failure = start(Map.of("jobpipe.worker.stages", "validate,valdate"));

        assertThat(rootMessage(failure)).contains("names a stage no pipeline has: [valdate]",
                "the pipelines' stages are [validate, normalize, enrich, decide, act, record, notify]");
    }

    @Test
    void shouldRefuseToStartWithADecideRuleThatDoesNotCompileNamingItAndWhere() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/decide.yaml"), """
                - name: urgent-github
                  when: event.source == 'github' && enrichment.priority in ['high', 'urgent'
                  actions: [{type: notify}]
                """);
        Path pipelines = Files.writeString(dir.resolve("pipelines.yaml"), """
                pipelines:
                  default:
                    stages:
                      - name: decide
                        settings:
                          rulesFile: rules/decide.yaml
                """);

        Throwable failure = start(Map.of("jobpipe.pipelines.file", pipelines.toString()));

        assertThat(rootMessage(failure)).contains("pipelines.default.stages[0] (decide): file rules/decide.yaml: "
                + "rule 'urgent-github': 'when' does not compile: line 1, column ");
    }

    @Test
    void shouldStartWithoutCheckingTheRulesOfAStageItDoesNotServe() throws Exception {
        Path pipelines = Files.writeString(dir.resolve("pipelines.yaml"), """
                pipelines:
                  default:
                    stages:
                      - name: validate
                      - name: decide
                        settings:
                          rules: [{name: broken, when: "event.source ==", actions: [{type: notify}]}]
                """);

        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(Map.of(
                "jobpipe.pipelines.file", pipelines.toString(), "jobpipe.worker.stages", "validate")))) {
            assertThat(server.isRunning()).isTrue();
        }
    }

    private Throwable start(Map<String, Object> own) {
        Throwable failure = catchThrowable(() -> ApplicationContext.run(EmbeddedServer.class, properties(own)).close());
        assertThat(failure).as("the worker should not have started").isNotNull();
        return failure;
    }

    /** Nothing here reaches Kafka: the checks run before the worker connects. */
    private Map<String, Object> properties(Map<String, Object> own) {
        Map<String, Object> properties = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:1",
                "jobpipe.worker.workspace", dir.resolve("workspace").toString(),
                "micronaut.server.host", "127.0.0.1",
                "micronaut.server.port", -1));
        properties.putAll(own);
        return properties;
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
