package io.jobpipe.core.event;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which agent runs a stage, as the pipeline definition binds it: {@code builtin:validate},
 * {@code http:https://…} or {@code command:…}, plus free-form settings for that agent.
 */
public record AgentSpec(String kind, String target, Map<String, Object> settings) {

    public AgentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }

    public static AgentSpec builtin(String name) {
        return new AgentSpec("builtin", name, Map.of());
    }

    /** Parses the short form used in pipeline YAML: {@code kind:target}. */
    public static AgentSpec parse(String shortForm, Map<String, Object> settings) {
        int colon = shortForm == null ? -1 : shortForm.indexOf(':');
        if (colon <= 0 || colon == shortForm.length() - 1) {
            throw new IllegalArgumentException("agent must look like 'kind:target' (e.g. builtin:validate), got '" + shortForm + "'");
        }
        return new AgentSpec(shortForm.substring(0, colon), shortForm.substring(colon + 1), settings);
    }

    /**
     * {@code kind:target}, a URL target cut to its origin ({@code http:https://agents.example.com/…}): this string
     * goes into error messages, spans and logs, and a URL's path or query may hold a secret.
     */
    @Override
    public String toString() {
        if (!isUrl(target)) {
            return kind + ":" + target;
        }
        String origin = originOf(target);
        return kind + ":" + origin + (target.length() > origin.length() ? "/…" : "");
    }

    /** Whether {@code value} is written as an http or https URL. */
    public static boolean isUrl(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** {@code scheme://host[:port]} of a URL, never its user info, path or query. */
    public static String originOf(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return "(a URL without a host)";
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost()
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "(an unreadable URL)";
        }
    }
}
