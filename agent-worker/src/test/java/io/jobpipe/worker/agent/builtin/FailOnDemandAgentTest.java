package io.jobpipe.worker.agent.builtin;

import io.jobpipe.worker.agent.StageCall;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.Json;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.agent.AgentOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class FailOnDemandAgentTest {
    private final FailOnDemandAgent agent = new FailOnDemandAgent();

    @Test
    void shouldFailRetryablyWhileThePayloadAsksTo() throws Exception {
        AgentOutcome outcome = agent.run(StageCall.of(request("{\"fail\":true}")));

        assertThat(outcome).isInstanceOfSatisfying(AgentOutcome.Failure.class, failure -> {
            assertThat(failure.errorType()).isEqualTo("DemoFailure");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.message()).contains("{\"fail\": false}");
        });
    }

    @Test
    void shouldPassOnceThePayloadNoLongerAsks() throws Exception {
        assertThat(agent.run(StageCall.of(request("{\"fail\":false}")))).isInstanceOf(AgentOutcome.Success.class);
        assertThat(agent.run(StageCall.of(request("{\"order\":42}")))).isInstanceOf(AgentOutcome.Success.class);
    }

    private static StageRequested request(String payload) throws Exception {
        JsonNode input = Json.MAPPER.createObjectNode().set("payload", Json.MAPPER.readTree(payload));
        return new StageRequested("evt", "job_1", Instant.EPOCH, "fails-on-demand", "flaky", 1, 1,
                AgentSpec.builtin("fail-on-demand"), input, Instant.EPOCH.plusSeconds(30));
    }
}
