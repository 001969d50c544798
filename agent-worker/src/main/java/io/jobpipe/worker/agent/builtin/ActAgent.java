package io.jobpipe.worker.agent.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpipe.core.event.Json;
import io.jobpipe.agent.AgentCall;
import io.jobpipe.agent.Agent;
import io.jobpipe.agent.AgentException;
import io.jobpipe.agent.AgentOutcome;
import io.jobpipe.worker.agent.StageInput;
import io.jobpipe.worker.agent.JsonPaths;

import io.jobpipe.worker.outbound.Origin;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the plan's built-in actions (the decide stage's {@code plan.actions}, then any in the stage
 * setting {@code actions}). {@code write-file} writes {@code content} (text) or {@code json} to
 * {@code jobs/<jobId>/<path>} in the sandboxed {@link Workspace}; {@code post-json} posts {@code json} to
 * {@code url} (a Slack {@code response_url}: the delayed reply to a slash command) through the outbound guard;
 * {@code notify} actions are left to the notify stage. Same request, same files: a re-delivery overwrites them with
 * the same bytes, and posts again with the same {@code Idempotency-Key} ({@code <jobId>:<stage>:<action index>}).
 */
public final class ActAgent implements Agent {
    public static final String JOBS_AREA = "jobs";
    public static final String INVALID_ACTION = "InvalidAction";
    public static final String UNSUPPORTED_ACTION = "UnsupportedAction";
    public static final String POST_FAILED = "PostFailed";

    private final Workspace workspace;
    private final WebhookTransport transport;

    public ActAgent(Workspace workspace, WebhookTransport transport) {
        this.workspace = workspace;
        this.transport = transport;
    }

    @Override
    public AgentOutcome run(AgentCall call) {
        StageInput input = StageInput.of(call);
        List<JsonNode> actions = new ArrayList<>();
        input.findOutput("decide", DecideAgent::isPlan).ifPresent(decision ->
                decision.path("plan").path("actions").forEach(actions::add));
        input.setting("actions").forEach(actions::add);

        ObjectNode output = Json.MAPPER.createObjectNode();
        ArrayNode files = output.putArray("files");
        ArrayNode skipped = output.putArray("skipped");
        ArrayNode posts = output.putArray("posts");
        long totalBytes = 0;
        for (int index = 0; index < actions.size(); index++) {
            JsonNode action = actions.get(index);
            String type = action.path("type").asText("");
            switch (type) {
                case "write-file" -> {
                    if (!action.path("path").isTextual()) {
                        throw AgentException.permanent(INVALID_ACTION, "write-file action" + ruleOf(action) + " needs a 'path'");
                    }
                    Workspace.WrittenFile written = workspace.write(JOBS_AREA, input.jobId(),
                            action.path("path").asText(), content(action));
                    ObjectNode file = files.addObject();
                    file.put("path", written.path());
                    file.put("bytes", written.bytes());
                    file.put("sha256", written.sha256());
                    if (action.has("rule")) {
                        file.put("rule", action.path("rule").asText());
                    }
                    totalBytes += written.bytes();
                }
                case "write-files" -> {
                    for (Map.Entry<String, byte[]> item : itemsOf(action, input).entrySet()) {
                        Workspace.WrittenFile written = workspace.write(JOBS_AREA, input.jobId(), item.getKey(),
                                item.getValue());
                        files.addObject().put("path", written.path()).put("bytes", written.bytes())
                                .put("sha256", written.sha256());
                        totalBytes += written.bytes();
                    }
                }
                case "post-json" -> posts.add(post(action, input.idempotencyKey() + ":" + index));
                case "notify" -> skipped.addObject().put("type", type)
                        .put("reason", "delivered by the notify stage");
                default -> throw AgentException.permanent(UNSUPPORTED_ACTION, "action type '" + type + "'"
                        + ruleOf(action) + " is not a built-in action; built-in actions: write-file, write-files, "
                        + "post-json, notify");
            }
        }
        output.put("fileCount", files.size());
        output.put("totalBytes", totalBytes);
        String summary = actions.isEmpty() ? "no actions planned"
                : "wrote " + files.size() + " file" + (files.size() == 1 ? "" : "s") + " (" + totalBytes + " bytes)"
                + (posts.isEmpty() ? "" : ", posted " + posts.size())
                + (skipped.isEmpty() ? "" : ", left " + skipped.size() + " to later stages");
        return AgentOutcome.success(output, summary);
    }

    /**
     * Posts the action's {@code json} to its {@code url}; a non-2xx answer or no answer fails the attempt retryably.
     * The output names the target by its origin only: a reply URL's path is a credential (Slack's response_url).
     */
    private ObjectNode post(JsonNode action, String idempotencyKey) {
        URI url = OutboundUrls.parse(action.path("url").asText(""), "post-json action" + ruleOf(action) + ": 'url'",
                INVALID_ACTION);
        if (!action.has("json")) {
            throw AgentException.permanent(INVALID_ACTION, "post-json action" + ruleOf(action) + " needs 'json'");
        }
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(action.get("json"));
        } catch (JsonProcessingException e) {
            throw AgentException.permanent(INVALID_ACTION, "cannot write 'json' of a post-json action: " + e.getMessage());
        }
        int status;
        try {
            status = transport.post(url, Map.of("Content-Type", "application/json",
                    WebhookSigner.IDEMPOTENCY_KEY_HEADER, idempotencyKey), body);
        } catch (IOException e) {
            throw AgentException.transientFailure(POST_FAILED, "post to " + Origin.of(url) + " failed: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        if (status < 200 || status > 299) {
            throw new AgentException(POST_FAILED, "post to " + Origin.of(url) + " answered HTTP " + status, true);
        }
        ObjectNode post = Json.MAPPER.createObjectNode().put("target", Origin.of(url)).put("status", status)
                .put("bytes", body.length);
        if (action.has("rule")) {
            post.put("rule", action.path("rule").asText());
        }
        return post;
    }

    private static byte[] content(JsonNode action) {
        JsonNode content = action.get("content");
        JsonNode json = action.get("json");
        if (content != null && content.isTextual()) {
            return content.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (json != null) {
            try {
                return (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw AgentException.permanent(INVALID_ACTION, "cannot write 'json' of a write-file action: " + e.getMessage());
            }
        }
        throw AgentException.permanent(INVALID_ACTION, "write-file action" + ruleOf(action)
                + " needs 'content' (text) or 'json'");
    }

    /**
     * The files of a {@code write-files} action: one per item of the list at {@code from} (a dotted path into the
     * job: {@code payload.patch.mutations}), named by the item's {@code pathField} under {@code folder}, holding its
     * {@code contentField}. Every item and every path is checked before any file is written, so a list with one bad
     * entry (a path leaving the sandbox, a missing field) writes nothing.
     */
    private static Map<String, byte[]> itemsOf(JsonNode action, StageInput input) {
        String from = action.path("from").asText("");
        ObjectNode job = Json.MAPPER.createObjectNode();
        job.set("payload", input.payload());
        job.set("outputs", input.outputs());
        JsonNode list = from.isEmpty() ? null : JsonPaths.at(job, from);
        if (list == null || !list.isArray()) {
            throw AgentException.permanent(INVALID_ACTION, "write-files action" + ruleOf(action) + ": 'from' ("
                    + from + ") must name a list in the job, such as payload.patch.mutations");
        }
        String pathField = action.path("pathField").asText("path");
        String contentField = action.path("contentField").asText("contents");
        String folder = action.path("folder").asText("");
        Map<String, byte[]> items = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!item.path(pathField).isTextual() || !item.path(contentField).isTextual()) {
                throw AgentException.permanent(INVALID_ACTION, from + "[" + i + "] needs text fields '" + pathField
                        + "' and '" + contentField + "'");
            }
            String path = (folder.isEmpty() ? "" : folder + "/") + item.path(pathField).asText();
            try {
                Workspace.checkedRelative(path);
            } catch (AgentException e) {
                throw new AgentException(e.errorType(), from + "[" + i + "]: " + e.getMessage(), e.retryable());
            }
            items.put(path, item.path(contentField).asText().getBytes(StandardCharsets.UTF_8));
        }
        return items;
    }

    private static String ruleOf(JsonNode action) {
        return action.has("rule") ? " (rule '" + action.path("rule").asText() + "')" : "";
    }
}
