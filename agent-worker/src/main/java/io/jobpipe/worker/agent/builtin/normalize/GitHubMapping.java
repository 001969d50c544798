package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

/**
 * GitHub webhooks: recognised by {@code repository}/{@code sender} objects (or a ping's {@code hook_id}).
 * The type is the {@code X-GitHub-Event} name plus the payload's {@code action}: {@code pull_request.opened}.
 */
public final class GitHubMapping implements SourceMapping {

    @Override
    public boolean recognises(String connection, String eventType, JsonNode payload) {
        return payload.isObject() && (payload.path("repository").isObject()
                || payload.path("sender").path("login").isTextual()
                || (payload.has("hook_id") && payload.has("zen")));
    }

    @Override
    public CanonicalEvent map(String connection, String eventType, JsonNode payload) {
        String event = eventName(eventType, payload);
        String action = Fields.text(payload, "action");
        String type = action == null ? event : event + "." + action;
        return new CanonicalEvent("github", type, subject(event, payload), Fields.text(payload, "sender.login"),
                Fields.links(payload, "pull_request.html_url", "issue.html_url", "comment.html_url",
                        "release.html_url", "workflow_run.html_url", "compare", "head_commit.url",
                        "repository.html_url"),
                Fields.firstInstant(payload, "comment.updated_at", "pull_request.updated_at", "issue.updated_at",
                        "release.published_at", "workflow_run.updated_at", "head_commit.timestamp"));
    }

    /** The event name as GitHub sends it in X-GitHub-Event, or inferred when ingest only knew "webhook". */
    private static String eventName(String eventType, JsonNode payload) {
        if (eventType != null && !eventType.isBlank() && !eventType.equals("webhook")) {
            return eventType;
        }
        if (payload.has("zen")) {
            return "ping";
        }
        if (payload.has("pull_request")) {
            return "pull_request";
        }
        if (payload.has("issue")) {
            return payload.has("comment") ? "issue_comment" : "issues";
        }
        if (payload.has("commits") && payload.has("ref")) {
            return "push";
        }
        if (payload.has("release")) {
            return "release";
        }
        if (payload.has("workflow_run")) {
            return "workflow_run";
        }
        return "event";
    }

    private static String subject(String event, JsonNode payload) {
        String numbered = numbered(payload.has("pull_request") ? payload.path("pull_request") : payload.path("issue"));
        if (numbered != null) {
            return Fields.shorten(numbered);
        }
        if (event.equals("push")) {
            String ref = Fields.text(payload, "ref");
            String branch = ref == null ? "?" : ref.replaceFirst("^refs/(heads|tags)/", "");
            int commits = payload.path("commits").size();
            String message = Fields.text(payload, "head_commit.message");
            return Fields.shorten(branch + " (" + commits + " commit" + (commits == 1 ? "" : "s") + ")"
                    + (message == null ? "" : ": " + message));
        }
        String other = Fields.text(payload, "release.name", "release.tag_name", "workflow_run.display_title",
                "workflow_run.name", "zen", "repository.full_name");
        return Fields.shorten(other);
    }

    private static String numbered(JsonNode item) {
        String title = Fields.text(item, "title");
        if (title == null) {
            return null;
        }
        String number = Fields.text(item, "number");
        return number == null ? title : "#" + number + " " + title;
    }
}
