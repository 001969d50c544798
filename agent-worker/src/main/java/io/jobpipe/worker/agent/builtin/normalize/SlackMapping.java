package io.jobpipe.worker.agent.builtin.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.worker.agent.builtin.CanonicalEvent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slack: the Events API ({@code team_id} + {@code event}, or {@code url_verification}) and slash
 * commands ({@code command} + {@code user_name}/{@code user_id}). Links come from Slack's {@code <url|label>} markup;
 * the subject is the text with that markup made readable ({@link SlackText}).
 */
public final class SlackMapping implements SourceMapping {
    private static final Pattern SLACK_LINK = Pattern.compile("<(https?://[^|>\\s]+)(?:\\|[^>]*)?>");

    @Override
    public boolean recognises(String connection, String eventType, JsonNode payload) {
        return payload.isObject() && ((payload.has("team_id") && payload.path("event").isObject())
                || "url_verification".equals(payload.path("type").asText())
                || (payload.path("command").isTextual() && (payload.has("user_name") || payload.has("user_id"))));
    }

    @Override
    public CanonicalEvent map(String connection, String eventType, JsonNode payload) {
        if (payload.path("command").isTextual()) {
            String text = Fields.text(payload, "text");
            String command = payload.path("command").asText();
            String subject = text == null ? command : command + " " + SlackText.readable(text);
            return new CanonicalEvent("slack", "slack.command", Fields.shorten(subject),
                    Fields.text(payload, "user_name", "user_id"), linksIn(text), null);
        }
        if ("url_verification".equals(payload.path("type").asText())) {
            return new CanonicalEvent("slack", "slack.url_verification", "URL verification", null, List.of(), null);
        }
        JsonNode event = payload.path("event");
        String subtype = Fields.text(event, "subtype");
        String type = "slack." + Fields.text(event, "type") + (subtype == null ? "" : "." + subtype);
        String text = Fields.text(event, "text");
        String channel = Fields.text(event, "channel");
        String subject = text != null ? SlackText.readable(text) : channel != null ? "in " + channel : type;
        List<String> links = new ArrayList<>(linksIn(text));
        links.addAll(Fields.links(event, "permalink"));
        return new CanonicalEvent("slack", type, Fields.shorten(subject), Fields.text(event, "user", "bot_id"),
                List.copyOf(new LinkedHashSet<>(links)), Fields.firstInstant(payload, "event_time", "event.ts"));
    }

    private static List<String> linksIn(String text) {
        if (text == null) {
            return List.of();
        }
        Set<String> links = new LinkedHashSet<>();
        Matcher matcher = SLACK_LINK.matcher(text);
        while (matcher.find()) {
            links.add(SlackText.unescape(matcher.group(1)));
        }
        return List.copyOf(links);
    }
}
