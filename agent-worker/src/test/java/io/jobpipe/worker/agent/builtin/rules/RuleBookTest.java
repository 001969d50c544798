package io.jobpipe.worker.agent.builtin.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleBookTest {
    @TempDir
    Path dir;

    @Test
    void shouldUseTheBuiltInRulesWhenSettingsNameNone() {
        RuleBook book = new RuleBook(dir);

        assertThat(book.forSettings(json("{}"))).isSameAs(RuleBook.defaults());
        assertThat(RuleBook.defaults().rules()).extracting(Rule::name).containsExactly("summarize-event",
                "escalate-high-priority", "track-pull-requests", "archive-payment-events");
    }

    @Test
    void shouldCompileInlineRulesOnceAndKeepThem() {
        RuleBook book = new RuleBook(dir);
        String settings = "{\"rules\": [{\"name\": \"a\", \"when\": \"event.source == 'x'\", \"actions\": [{\"type\": \"notify\"}]}]}";

        RuleSet first = book.forSettings(json(settings));

        assertThat(first.origin()).isEqualTo("settings");
        assertThat(book.forSettings(json(settings))).isSameAs(first);
    }

    @Test
    void shouldReadARulesFileRelativeToThePipelineFile() throws Exception {
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/decide.yaml"), """
                - name: urgent
                  when: enrichment.priority in ['high', 'urgent']
                  actions: [{type: notify, message: "urgent ${event.subject}"}]
                """);
        RuleBook book = RuleBook.forPipelineFile(dir.resolve("pipeline.yaml").toString());

        RuleSet rules = book.forSettings(json("{\"rulesFile\": \"rules/decide.yaml\"}"));

        assertThat(rules.origin()).isEqualTo("file rules/decide.yaml");
        assertThat(rules.rules()).extracting(Rule::name).containsExactly("urgent");
        assertThat(book.forSettings(json("{\"rulesFile\": \"rules/decide.yaml\"}"))).isSameAs(rules);
    }

    @Test
    void shouldNameTheRuleAndPositionOfAProblemInARulesFile() throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                - name: fine
                  actions: [{type: notify}]
                - name: broken
                  when: event.source = 'github'
                  actions: [{type: notify}]
                """);

        assertThatThrownBy(() -> new RuleBook(dir).forSettings(json("{\"rulesFile\": \"rules.yaml\"}")))
                .isInstanceOf(RuleLanguage.InvalidRuleException.class)
                .hasMessageStartingWith("file rules.yaml: rule 'broken': 'when' does not compile: line 1, column 14");
    }

    @Test
    void shouldRefuseAMissingRulesFileRulesAndRulesFileTogetherAndDuplicateNames() {
        RuleBook book = new RuleBook(dir);

        assertThatThrownBy(() -> book.forSettings(json("{\"rulesFile\": \"nope.yaml\"}")))
                .hasMessageContaining("settings.rulesFile: cannot read").hasMessageContaining("nope.yaml");
        assertThatThrownBy(() -> book.forSettings(json("{\"rulesFile\": \"a.yaml\", \"rules\": []}")))
                .hasMessageContaining("either 'rules' or 'rulesFile'");
        assertThatThrownBy(() -> book.forSettings(json("{\"rules\": [{\"name\": \"a\", \"actions\": [{\"type\": \"x\"}]},"
                + "{\"name\": \"a\", \"actions\": [{\"type\": \"x\"}]}]}")))
                .hasMessageContaining("two rules are named 'a'");
        assertThatThrownBy(() -> book.forSettings(json("{\"rules\": [{\"name\": \"a\", \"wen\": \"true\", "
                + "\"actions\": [{\"type\": \"x\"}]}]}")))
                .hasMessageContaining("rule 'a': unknown key 'wen'");
    }
}
