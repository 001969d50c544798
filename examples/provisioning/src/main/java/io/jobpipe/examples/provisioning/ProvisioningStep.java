package io.jobpipe.examples.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One of seed 002's seven provisioning agents: works through the steps its stage's settings name
 * ({@code steps: [...]}, {@code stepMillis}), telling the job's watchers after each one how far it got
 * ({@link AgentCall#heartbeat}) and writing a log line. The work itself is simulated by waiting; what the example shows
 * is what jobpipe does around a long agent: progress on the job page, a status API that stays quick, an interrupt
 * at the stage timeout.
 * <p>
 * Every stage checks the target first: {@code payload.url} must be an https URL, else the job fails at once with
 * {@code InvalidTarget} (the same input would fail the same way on every retry).
 */
final class ProvisioningStep implements Agent {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public AgentOutcome run(AgentCall call) {
        URI target = target(call.payload());
        List<String> steps = new ArrayList<>();
        call.settings().path("steps").forEach(step -> steps.add(step.asText()));
        if (steps.isEmpty()) {
            throw AgentException.permanent("InvalidSettings", "stage " + call.stage() + " lists no steps");
        }
        long stepMillis = call.settings().path("stepMillis").asLong(200);
        ObjectNode output = JSON.createObjectNode();
        output.put("stage", call.stage());
        output.put("target", target.getHost());
        ArrayNode done = output.putArray("steps");
        long started = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            String progress = "step " + (i + 1) + " of " + steps.size() + ": " + steps.get(i);
            call.heartbeat(progress);
            call.log(progress + " for " + target.getHost());
            try {
                Thread.sleep(stepMillis);
            } catch (InterruptedException e) {
                // The stage timeout passed: the worker has reported it already; stop here.
                Thread.currentThread().interrupt();
                return AgentOutcome.failure("Interrupted", "stopped at " + progress, true);
            }
            done.add(steps.get(i));
        }
        output.put("tookMs", (System.nanoTime() - started) / 1_000_000);
        return AgentOutcome.success(output, call.stage() + ": " + steps.size() + " steps for " + target.getHost());
    }

    private static URI target(JsonNode payload) {
        String url = payload.path("url").asText("");
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw AgentException.permanent("InvalidTarget", "payload.url '" + url + "' is not a URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw AgentException.permanent("InvalidTarget", "payload.url must be an https URL of the site to"
                    + " provision, got '" + url + "'");
        }
        return uri;
    }
}
