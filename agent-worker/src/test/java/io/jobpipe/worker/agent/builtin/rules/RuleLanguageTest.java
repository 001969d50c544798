package io.jobpipe.worker.agent.builtin.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleLanguageTest {
    private static final JsonNode FACTS = json("""
            {"event": {"source": "github", "type": "pull_request.opened", "subject": "#42 Fix login", "actor": null,
                       "links": ["https://x/42"]},
             "enrichment": {"priority": "high", "labels": ["bug"], "fieldCount": 12, "score": 0.75},
             "payload": {"pull_request": {"number": 42, "draft": false}}, "outputs": {},
             "connection": "github", "eventType": "pull_request", "deliveryId": "d-1", "jobId": "job_1",
             "pipeline": "default", "stage": "decide"}""");

    private static boolean test(String expression) throws Exception {
        return RuleLanguage.compile("r", expression).test(variables(FACTS));
    }

    private static Map<String, Object> variables(JsonNode facts) {
        Map<String, Object> variables = new HashMap<>();
        RuleLanguage.VARIABLES.keySet().forEach(name -> variables.put(name, CelValues.of(facts.get(name))));
        return variables;
    }

    @Test
    void shouldEvaluateConditionsOverEveryVariable() throws Exception {
        assertThat(test("event.source == 'github' && enrichment.priority in ['high','urgent']")).isTrue();
        assertThat(test("event.source == 'github' && enrichment.priority in ['low']")).isFalse();
        assertThat(test("payload.pull_request.number == 42 && !payload.pull_request.draft")).isTrue();
        assertThat(test("enrichment.fieldCount > 10.5 && enrichment.score < 1")).isTrue();
        assertThat(test("event.actor == null && has(event.subject) && !has(payload.issue)")).isTrue();
        assertThat(test("event.links.exists(l, l.startsWith('https://')) && 'bug' in enrichment.labels")).isTrue();
        assertThat(test("event.subject.lowerAscii().contains('login') && event.type.matches('^pull_request[.]')")).isTrue();
        assertThat(test("connection == 'github' && eventType == 'pull_request' && stage == 'decide' && size(outputs) == 0"))
                .isTrue();
    }

    @Test
    void shouldRefuseAnExpressionThatDoesNotParseWithItsLineAndColumn() {
        assertThatThrownBy(() -> RuleLanguage.compile("escalate", "event.source == 'github' &&\n  enrichment.priority ==="))
                .isInstanceOf(RuleLanguage.InvalidRuleException.class)
                .hasMessageStartingWith("rule 'escalate': 'when' does not compile: line 2, column ")
                .hasMessageContaining("|   enrichment.priority ===");
    }

    @Test
    void shouldRefuseUnknownVariablesFunctionsAndEventFields() {
        assertThatThrownBy(() -> RuleLanguage.compile("r", "evnt.source == 'github'"))
                .hasMessageContaining("line 1, column 1: undeclared reference to 'evnt'");
        assertThatThrownBy(() -> RuleLanguage.compile("r", "event.source.shout() == 'X'"))
                .hasMessageContaining("line 1, column ").hasMessageContaining("shout");
        assertThatThrownBy(() -> RuleLanguage.compile("r", "event.source == 'github' && event.sorce == 'x'"))
                .hasMessageContaining("line 1, column 34: the event has no field 'sorce'; its fields: [actor, links, "
                        + "occurredAt, source, subject, type]");
    }

    @Test
    void shouldRefuseAnExpressionThatCannotBeABool() {
        assertThatThrownBy(() -> RuleLanguage.compile("r", "1 + 2"))
                .isInstanceOf(RuleLanguage.InvalidRuleException.class).hasMessageContaining("bool");
    }

    @Test
    void shouldLetAComprehensionVariableBeCalledEvent() throws Exception {
        assertThat(test("enrichment.labels.exists(event, event == 'bug')")).isTrue();
    }

    @Test
    void shouldReportAMissingKeyAndAValueThatIsNoBoolAsEvaluationFailures() {
        assertThatThrownBy(() -> test("payload.issue.number == 1"))
                .isInstanceOf(RuleLanguage.RuleEvaluationException.class).hasMessageContaining("issue");
        assertThatThrownBy(() -> test("payload.pull_request.number"))
                .isInstanceOf(RuleLanguage.RuleEvaluationException.class)
                .hasMessageContaining("yielded a number (42), not true or false");
    }

    @Test
    void shouldEvaluateOneCompiledConditionOnManyThreadsAtOnce() throws Exception {
        RuleLanguage.Condition condition = RuleLanguage.compile("r", "payload.n % 2 == 0");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int n = 0; n < 2_000; n++) {
                Map<String, Object> variables = variables(json("{\"payload\": {\"n\": " + n + "}}"));
                answers.add(pool.submit(() -> condition.test(variables)));
            }
            for (int n = 0; n < answers.size(); n++) {
                assertThat(answers.get(n).get(10, TimeUnit.SECONDS)).isEqualTo(n % 2 == 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
