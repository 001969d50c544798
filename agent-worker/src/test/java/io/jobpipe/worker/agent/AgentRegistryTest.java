package io.jobpipe.worker.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.agent.AgentException;

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
                .containsExactly("act", "decide", "enrich", "fail-on-demand", "noop", "normalize", "notify", "record", "validate");
        assertThat(registry.agentFor(AgentSpec.builtin("validate"))).isInstanceOf(ValidateAgent.class);
    }

    @Test
    void shouldFailAKindThisWorkerDoesNotServeNonRetryably() {
        for (AgentSpec spec : new AgentSpec[]{AgentSpec.parse("http:https://agents.example.com/enrich", Map.of()),
                AgentSpec.parse("command:./scripts/act.sh", Map.of())}) {
            AgentOutcome outcome = registry.agentFor(spec).run(StageCall.of(requestFor(spec)));

            assertThat(outcome).isInstanceOf(AgentOutcome.Failure.class);
            AgentOutcome.Failure failure = (AgentOutcome.Failure) outcome;
            assertThat(failure.errorType()).isEqualTo("AgentKindUnsupported");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.message()).contains("'" + spec.kind() + "'", "not served by this worker",
                    "[builtin, java]");
        }
    }

    @Test
    void shouldFailAnUnknownBuiltinOrKindNonRetryably() {
        AgentOutcome unknownBuiltin = registry.agentFor(AgentSpec.builtin("translate")).run(StageCall.of(requestFor(AgentSpec.builtin("translate"))));
        AgentSpec grpc = AgentSpec.parse("grpc:svc", Map.of());
        AgentOutcome unknownKind = registry.agentFor(grpc).run(StageCall.of(requestFor(grpc)));

        assertThat(unknownBuiltin).isEqualTo(AgentOutcome.failure("AgentNotFound",
                "no built-in agent named 'translate'; there are: [act, decide, enrich, fail-on-demand, noop, normalize, notify, record, validate]", false));
        assertThat(((AgentOutcome.Failure) unknownKind).errorType()).isEqualTo("AgentKindUnsupported");
    }

    @Test
    void shouldServeUsersJavaAgentsAndTheKindsItWasGiven() {
        Agent mine = call -> AgentOutcome.success(json("{\"mine\":true}"), "mine");
        Agent http = call -> AgentOutcome.success(json("{\"http\":true}"), "http");
        AgentRegistry withKinds = new AgentRegistry(Map.of(), Map.of("mine", mine), Map.of("http", spec -> http));

        assertThat(withKinds.agentFor(AgentSpec.parse("java:mine", Map.of()))).isSameAs(mine);
        assertThat(withKinds.agentFor(AgentSpec.parse("http:https://a.example.com/", Map.of()))).isSameAs(http);
        assertThat(withKinds.kindNames()).containsExactly("builtin", "http", "java");
        AgentOutcome missing = withKinds.agentFor(AgentSpec.parse("java:theirs", Map.of()))
                .run(StageCall.of(requestFor(AgentSpec.parse("java:theirs", Map.of()))));
        assertThat(missing).isEqualTo(AgentOutcome.failure("AgentNotFound",
                "no Java (java:) agent named 'theirs'; there are: [mine]", false));
    }

    @Test
    void shouldRefuseAKindServedTwice() {
        Agent any = call -> AgentOutcome.success(json("{}"), "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AgentRegistry(Map.of(), Map.of(),
                        Map.of("builtin", spec -> any)))
                .hasMessageContaining("agent kind 'builtin' is served twice");
    }

    @Test
    void shouldTurnAThrowingAgentIntoARetryableFailure() {
        AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of("boom", request -> {
            throw new IllegalStateException("disk on fire");
        })));

        assertThat(runner.run(StageCall.of(requestFor(AgentSpec.builtin("boom")))))
                .isEqualTo(AgentOutcome.failure("IllegalStateException", "disk on fire", true));
    }

    @Test
    void shouldKeepTheClassificationOfAnAgentException() {
        AgentRunner runner = new AgentRunner(new AgentRegistry(Map.of("picky", request -> {
            throw AgentException.permanent("BadInput", "no");
        }, "silent", request -> null)));

        assertThat(runner.run(StageCall.of(requestFor(AgentSpec.builtin("picky"))))).isEqualTo(AgentOutcome.failure("BadInput", "no", false));
        assertThat(((AgentOutcome.Failure) runner.run(StageCall.of(requestFor(AgentSpec.builtin("silent"))))).errorType())
                .isEqualTo("AgentReturnedNothing");
    }
}
