package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import static io.jobpipe.worker.agent.TestRequests.json;
import static io.jobpipe.worker.agent.TestRequests.request;
import static io.jobpipe.worker.agent.TestRequests.settings;
import static org.assertj.core.api.Assertions.assertThat;

class ValidateAgentTest {
    private final ValidateAgent agent = new ValidateAgent();

    @Test
    void shouldPassWhenEveryRequiredFieldIsPresent() {
        AgentOutcome outcome = agent.run(StageCall.of(request("validate", "github", "pull_request",
                json("{\"action\":\"opened\",\"pull_request\":{\"title\":\"x\",\"number\":1}}"),
                Json.MAPPER.createObjectNode(), settings("{\"requiredFields\":[\"action\",\"pull_request.title\"]}"))));

        assertThat(outcome).isInstanceOf(AgentOutcome.Success.class);
        JsonNode output = ((AgentOutcome.Success) outcome).output();
        assertThat(output.path("valid").asBoolean()).isTrue();
        assertThat(output.path("fieldCount").asInt()).isEqualTo(2);
        assertThat(output.path("checked")).extracting(JsonNode::asText)
                .containsExactly("action", "pull_request.title");
    }

    @Test
    void shouldFailNonRetryablyNamingEveryMissingOrNullField() {
        AgentOutcome outcome = agent.run(StageCall.of(request("validate", "github", "pull_request",
                json("{\"action\":null,\"pull_request\":{\"number\":1}}"),
                Json.MAPPER.createObjectNode(),
                settings("{\"requiredFields\":[\"action\",\"pull_request.title\",\"pull_request.number\",\"repository.full_name\"]}"))));

        assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
        AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome;
        assertThat(failure.errorType()).isEqualTo("ValidationFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.message()).contains("action", "pull_request.title", "repository.full_name")
                .doesNotContain("pull_request.number");
    }

    @Test
    void shouldRejectAPayloadThatIsNotAnObject() {
        AgentOutcome outcome = agent.run(StageCall.of(request("validate", "generic", "webhook", json("[1,2,3]"))));

        assertThat(outcome).isEqualTo(AgentOutcome.failure("ValidationFailed",
                "payload must be a JSON object, got array", false));
    }

    @Test
    void shouldApplyRequiredFieldsOfTheJobsConnectionOnly() {
        var settings = settings("{\"requiredFieldsByConnection\":{\"stripe\":[\"data.object.id\"],\"github\":[\"sender.login\"]}}");

        AgentOutcome stripe = agent.run(StageCall.of(request("validate", "stripe", "webhook", json("{\"type\":\"x\"}"),
                Json.MAPPER.createObjectNode(), settings)));
        AgentOutcome github = agent.run(StageCall.of(request("validate", "github", "push", json("{\"sender\":{\"login\":\"me\"}}"),
                Json.MAPPER.createObjectNode(), settings)));

        assertThat(((AgentOutcome.Failure) stripe).message()).contains("data.object.id");
        assertThat(github).isInstanceOf(AgentOutcome.Success.class);
    }

    @Test
    void shouldIndexArraysInDottedPaths() {
        AgentOutcome outcome = agent.run(StageCall.of(request("validate", "github", "push",
                json("{\"commits\":[{\"id\":\"a\"}]}"), Json.MAPPER.createObjectNode(),
                settings("{\"requiredFields\":[\"commits.0.id\",\"commits.1.id\"]}"))));

        assertThat(((AgentOutcome.Failure) outcome).message()).endsWith("commits.1.id");
    }
}
