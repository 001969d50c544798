package io.jobpipe.worker.agent.builtin.rules;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.pipeline.PipelineCatalog;
import io.jobpipe.core.pipeline.PipelineCatalogLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecideRulesCheckTest {
    private static final PipelineCatalog CATALOG = PipelineCatalogLoader.parse("""
            pipelines:
              default:
                stages:
                  - name: validate
                  - name: decide
                    settings:
                      rules:
                        - name: fine
                          when: event.source == 'github'
                          actions: [{type: notify}]
                        - name: escalate
                          when: "enrichment.priority in ['high', 'urgent'] && event.typ == 'x'"
                          actions: [{type: notify}]
              other:
                stages:
                  - name: choose
                    agent: builtin:decide
            """);

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAServedDecideStageWhoseRuleDoesNotCompileNamingItsPlace() {
        assertThatThrownBy(() -> DecideRulesCheck.check(CATALOG, Set.of("validate", "decide", "choose"), new RuleBook(dir)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pipelines.default.stages[1] (decide): settings: rule 'escalate': 'when' does not "
                        + "compile: line 1, column 51: the event has no field 'typ'");
    }

    @Test
    void shouldCheckOnlyTheDecideStagesThisWorkerServes() {
        assertThat(DecideRulesCheck.check(CATALOG, Set.of("validate", "choose"), new RuleBook(dir))).isEqualTo(1);
        assertThat(DecideRulesCheck.check(CATALOG, Set.of("validate"), new RuleBook(dir))).isZero();
    }

    @Test
    void shouldKeepTheCompiledRulesForTheSettingsAsARequestCarriesThem() throws Exception {
        PipelineCatalog catalog = PipelineCatalogLoader.parse("""
                pipelines:
                  default:
                    stages:
                      - name: decide
                        settings:
                          rules: [{name: a, when: "event.source == 'github'", actions: [{type: notify, n: 1}], stop: true}]
                """);
        RuleBook book = new RuleBook(dir);
        DecideRulesCheck.check(catalog, Set.of("decide"), book);
        RuleSet compiledAtStartUp = book.forSettings(Json.MAPPER.valueToTree(
                catalog.pipeline("default").orElseThrow().stage(0).agent().settings()));

        // The orchestrator writes the stage's AgentSpec into the request as JSON; the worker reads it back.
        AgentSpec carried = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(
                catalog.pipeline("default").orElseThrow().stage(0).agent()), AgentSpec.class);

        assertThat(book.forSettings(Json.MAPPER.valueToTree(carried.settings()))).isSameAs(compiledAtStartUp);
    }
}
