package io.jobpipe.examples.provisioning;

import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentProvider;

/** Lists the example's agent for the worker's ServiceLoader: bound as {@code java:provisioning-step}. */
public final class ProvisioningStepProvider implements AgentProvider {
    @Override
    public String name() {
        return "provisioning-step";
    }

    @Override
    public Agent create() {
        return new ProvisioningStep();
    }
}
