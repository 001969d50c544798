package io.jobpipe.core;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.pipeline.BreakerPolicy;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import io.jobpipe.core.pipeline.RetryPolicy;
import io.jobpipe.core.pipeline.PipelineDefinition;
import io.jobpipe.core.pipeline.StageDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineCatalogLoaderTest {

    @Test
    void shouldLoadTheDefaultSevenStagePipeline() {
        PipelineCatalog catalog = PipelineCatalogLoader.loadDefault();
        PipelineDefinition pipeline = catalog.route("demo", "webhook").orElseThrow();

        assertThat(pipeline.name()).isEqualTo("default");
        assertThat(pipeline.stageNames()).containsExactly("validate", "normalize", "enrich", "decide", "act", "record", "notify");
        assertThat(pipeline.stages()).allSatisfy(stage -> {
            assertThat(stage.agent().kind()).isEqualTo("builtin");
            assertThat(stage.agent().target()).isEqualTo(stage.name());
            assertThat(stage.timeout()).isEqualTo(Duration.ofSeconds(30));
        });
        RetryPolicy validate = pipeline.stage("validate").orElseThrow().retry();
        assertThat(validate.maximumAttempts()).as("a timed-out validate is retried").isGreaterThan(1);
        assertThat(validate.isRetryable("StageTimeout", true)).isTrue();
        assertThat(validate.isRetryable("ValidationFailed", true)).as("an invalid payload stays invalid").isFalse();
        assertThat(pipeline.stage("notify").orElseThrow().retry().maximumAttempts()).isEqualTo(5);
        assertThat(catalog.allStageNames()).hasSize(7);
        PipelineDefinition failing = catalog.route("demo", "fail-on-demand").orElseThrow();
        assertThat(failing.name()).isEqualTo("fails-on-demand");
        assertThat(failing.stage("act").orElseThrow().agent()).isEqualTo(AgentSpec.builtin("fail-on-demand"));
        assertThat(catalog.route("github", "fail-on-demand").orElseThrow().name()).isEqualTo("default");
        assertThat(failing.stage("act").orElseThrow().breaker().enabled())
                .as("it fails on purpose: its breaker must not hold the dead letters it is asked for").isFalse();
        assertThat(catalog.pipeline("default").orElseThrow().stage("act").orElseThrow().breaker())
                .isEqualTo(BreakerPolicy.DEFAULT);
    }

    @Test
    void shouldMergeTheStagesBreakerOverTheDefaults() {
        PipelineCatalog catalog = PipelineCatalogLoader.parse("""
                defaults:
                  breaker: { failureRate: 0.8, cooldown: 1m }
                pipelines:
                  default:
                    stages:
                      - name: a
                      - name: b
                        breaker: { window: 6, cooldown: 5s }
                      - name: c
                        breaker: { enabled: false }
                """);
        PipelineDefinition pipeline = catalog.pipeline("default").orElseThrow();

        assertThat(pipeline.stage("a").orElseThrow().breaker())
                .isEqualTo(new BreakerPolicy(true, 0.8, 20, 10, Duration.ofMinutes(1)));
        assertThat(pipeline.stage("b").orElseThrow().breaker())
                .as("a window below the default minimum lowers the minimum with it")
                .isEqualTo(new BreakerPolicy(true, 0.8, 6, 6, Duration.ofSeconds(5)));
        assertThat(pipeline.stage("c").orElseThrow().breaker().enabled()).isFalse();
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a, breaker: {failureRate: 1.5}}]
                """)).hasMessageContaining("stages[0]").hasMessageContaining("breaker failureRate must be within (0, 1]");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a, breaker: {window: 5, minimumAttempts: 9}}]
                """)).hasMessageContaining("minimumAttempts must be within 1..5");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a, breaker: {threshold: 0.5}}]
                """)).hasMessageContaining("threshold");
    }

    @Test
    void shouldApplyDefaultsAndStageOverrides() {
        PipelineCatalog catalog = PipelineCatalogLoader.parse("""
                defaults:
                  timeout: 10s
                  retry: { maximumAttempts: 3, initialInterval: 1s, maximumRetryAfter: 2m }
                pipelines:
                  parse:
                    stages:
                      - name: fetch
                        agent: http:https://parser.example/parse
                        settings: { mode: async }
                        timeout: 2m
                        retry: { maximumAttempts: 7, nonRetryableErrors: [BadRequest] }
                      - name: store
                routes:
                  - connection: docs
                    pipeline: parse
                """);
        PipelineDefinition parse = catalog.pipeline("parse").orElseThrow();
        StageDefinition fetch = parse.stage(0);
        assertThat(fetch.agent().kind()).isEqualTo("http");
        assertThat(fetch.agent().target()).isEqualTo("https://parser.example/parse");
        assertThat(fetch.agent().settings()).containsEntry("mode", "async");
        assertThat(fetch.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(fetch.retry().maximumAttempts()).isEqualTo(7);
        assertThat(fetch.retry().initialInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(fetch.retry().nonRetryableErrors()).containsExactly("BadRequest");
        assertThat(fetch.retry().maximumRetryAfter()).isEqualTo(Duration.ofMinutes(2));
        StageDefinition store = parse.stage(1);
        assertThat(store.agent().toString()).isEqualTo("builtin:store");
        assertThat(store.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(store.retry().maximumAttempts()).isEqualTo(3);
        assertThat(catalog.route("docs", "any")).contains(parse);
        assertThat(catalog.route("other", "any")).isEmpty();
    }

    @Test
    void shouldNameThePlaceOfEachMistake() {
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: ok
                      - name: Bad_Name
                """)).hasMessageContaining("pipelines.default.stages[1]").hasMessageContaining("Bad_Name");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: a
                        timeout: soon
                """)).hasMessageContaining("stages[0]").hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: a
                        retrys: { maximumAttempts: 2 }
                """)).hasMessageContaining("retrys");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a}, {name: a}]
                """)).hasMessageContaining("lists stage a twice");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a}]
                routes: [{connection: x, pipeline: missing}]
                """)).hasMessageContaining("unknown pipeline 'missing'");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: results}]
                """)).hasMessageContaining("must not be 'results'");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("pipelines: {}")).hasMessageContaining("'pipelines' is missing or empty");
        assertThatThrownBy(() -> PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: a, agent: nocolon}]
                """)).hasMessageContaining("kind:target");
    }

    @Test
    void shouldReadAnyNumberOfStages() {
        PipelineCatalog catalog = PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages: [{name: only}]
                """);
        assertThat(catalog.route("c", "t").orElseThrow().stageNames()).isEqualTo(List.of("only"));
    }
}
