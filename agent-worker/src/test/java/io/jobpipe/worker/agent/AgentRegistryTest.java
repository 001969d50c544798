package io.jobpipe.worker.agent;

import io.jobpipe.core.event.AgentSpec;
import io.jobpipe.core.event.StageRequested;
import io.jobpipe.worker.agent.builtin.BuiltinAgents;
import io.jobpipe.worker.agent.builtin.ValidateAgent;
import io.jobpipe.worker.agent.builtin.Workspace;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

class AgentRegistryTest {
    private final AgentRegistry registry = new AgentRegistry(BuiltinAgents.create(new Workspace(Path.of("unused")),
            (url, headers, body) -> 200, Clock.systemUTC(), name -> null));

    private static StageRequested requestFor(AgentSpec spec) {
        return TestRequests.request(TestRequests.JOB_ID, "stage", spec, "shop", "webhook", json("{}"),
                io.jobpipe.core.event.Json.MAPPER.createObjectNode());
    }

    @Test
    void shouldKnowTheBuiltinAgentsByName() {
        assertThat(registry.builtinNames())
                .containsExactly("act", "decide", "enrich", "fail-on-demand", "normalize", "notify", "record", "validate");
        assertThat(registry.agentFor(AgentSpec.builtin("validate"))).isInstanceOf(ValidateAgent.class);
    }

    @Test
    void shouldFailHttpAndCommandAgentsNonRetryablyAsUnsupported() {
        for (AgentSpec spec : new AgentSpec[]{AgentSpec.parse("http:https://agents.example.com/enrich", Map.of()),
                AgentSpec.parse("command:./scripts/act.sh", Map.of())}) {
            AgentOutcome outcome = registry.agentFor(spec).run(requestFor(spec));

            assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
            AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome;
            assertThat(failure.errorType()).isEqualTo("AgentKindUnsupported");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.message()).contains("'" + spec.kind() + "'", "not supported by this worker yet");
        }
    }

    @Test
    void shouldFailAnUnknownBuiltinOrKindNonRetryably() {
        AgentOutcome unknownBuiltin = registry.agentFor(AgentSpec.builtin("translate")).run(requestFor(AgentSpec.builtin("translate")));
        AgentSpec grpc = AgentSpec.parse("grpc:svc", Map.of());
        AgentOutcome unknownKind = registry.agentFor(grpc).run(requestFor(grpc));

        assertThat(unknownBuiltin).isEqualTo(AgentOutcome.failure("AgentNotFound",
                "no built-in agent named 'translate'; built-in agents: [act, decide, enrich, fail-on-demand, normalize, notify, record, validate]", false));
        assertThat(((AgentOutcome.Failure) unknownKind).errorType()).isEqualTo("AgentKindUnsupported");
    }

    @Test
    void shouldTurnAThrowingAgentIntoARetryableFailure() {
        AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of("boom", request -> {
            throw new IllegalStateException("disk on fire");
        })));

        assertThat(runner.run(requestFor(AgentSpec.builtin("boom"))))
                .isEqualTo(AgentOutcome.failure("IllegalStateException", "disk on fire", true));
    }

    @Test
    void shouldKeepTheClassificationOfAnAgentException() {
        AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of("picky", request -> {
            throw AgentException.permanent("BadInput", "no");
        }, "silent", request -> null)));

        assertThat(runner.run(requestFor(AgentSpec.builtin("picky")))).isEqualTo(AgentOutcome.failure("BadInput", "no", false));
        assertThat(((AgentOutcome.Failure) runner.run(requestFor(AgentSpec.builtin("silent")))).errorType())
                .isEqualTo("AgentReturnedNothing");
    }
}
