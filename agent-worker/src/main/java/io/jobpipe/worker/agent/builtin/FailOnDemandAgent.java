package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentOutcome;

/**
 * Fails, retryably, while the job's payload says {@code "fail": true}, and passes otherwise: a stage that can be
 * made to fail on demand, so that dead letters, replays and patched replays can be tried without breaking anything
 * (the dev pipeline {@code fails-on-demand} binds it). A replay with the merge patch {@code {"fail": false}} passes.
 */
final class FailOnDemandAgent implements Agent {
    static final String ERROR_TYPE = "DemoFailure";

    @Override
    public AgentOutcome run(AgentCall call) {
        JsonNode fail = call.payload().path("fail");
        if (fail.asBoolean(false)) {
            return AgentOutcome.failure(ERROR_TYPE, "the payload asks this stage to fail (\"fail\": true); replay the job "
                    + "with the merge patch {\"fail\": false} to let it pass", true);
        }
        return AgentOutcome.success(JsonNodeFactory.instance.objectNode().put("passed", true),
                "passed: the payload does not ask to fail");
    }
}
