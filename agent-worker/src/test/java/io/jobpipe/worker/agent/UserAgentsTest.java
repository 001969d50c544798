package io.jobpipe.worker.agent;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.agent.AgentProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.jobpipe.worker.agent.TestRequests.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserAgentsTest {

    private static AgentProvider provider(String name, Agent agent) {
        return new AgentProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Agent create() {
                return agent;
            }
        };
    }

    private static final Agent ECHO = call -> AgentOutcome.success(call.payload(), "echo");

    @Test
    void shouldFindTheProviderListedInTheTestClasspathsServiceFile() {
        Map<String, Agent> agents = UserAgents.load(getClass().getClassLoader());

        assertThat(agents).containsOnlyKeys("upper-title", GateAgentProvider.NAME);
        AgentOutcome outcome = agents.get("upper-title").run(StageCall.of(TestRequests.request("act", "shop",
                "webhook", json("{\"title\":\"ship it\"}"))));
        assertThat(outcome).isEqualTo(AgentOutcome.success(json("{\"title\":\"SHIP IT\"}"), "title in capitals"));
    }

    @Test
    void shouldRefuseTwoProvidersOfOneName() {
        assertThatThrownBy(() -> UserAgents.of(List.of(provider("echo", ECHO), provider("echo", ECHO))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two agent providers are named 'echo'");
    }

    @Test
    void shouldRefuseANameAPipelineFileCannotBind() {
        assertThatThrownBy(() -> UserAgents.of(List.of(provider("my agent", ECHO))))
                .hasMessageContaining("invalid name 'my agent'");
    }

    @Test
    void shouldNameTheProviderThatCannotCreateItsAgent() {
        AgentProvider broken = new AgentProvider() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Agent create() {
                throw new IllegalStateException("no licence key");
            }
        };

        assertThatThrownBy(() -> UserAgents.of(List.of(broken)))
                .hasMessageContaining("(java:broken) failed to create its agent: no licence key");
    }
}
