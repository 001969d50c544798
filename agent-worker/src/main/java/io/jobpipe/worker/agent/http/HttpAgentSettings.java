package io.jobpipe.worker.agent.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipe.agent.AgentException;
import io.jobpipe.core.pipeline.Durations;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code settings} of an {@code http:} stage: {@code mode} ({@code sync}, the default, or {@code async}), an
 * optional {@code timeout} per request, and the signing secret ({@code secretEnv}, or an inline {@code secret} that
 * travels sealed). An unknown key fails the stage for good: a typo must not silently drop a setting. Pure.
 */
public record HttpAgentSettings(boolean async, Optional<Duration> timeout, JsonNode signing) {
    public static final String INVALID_SETTINGS = "InvalidHttpAgentSettings";
    private static final Set<String> KEYS = Set.of("mode", "timeout", "secret", "secretEnv");

    public static HttpAgentSettings of(JsonNode settings) {
        if (settings == null || settings.isMissingNode() || settings.isNull()) {
            throw invalid("an http agent needs settings with 'secretEnv' (or 'secret') to sign its requests");
        }
        for (Iterator<String> names = settings.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw invalid("unknown setting '" + name + "'; an http agent takes " + new TreeSet<>(KEYS));
            }
        }
        String mode = settings.path("mode").asText("sync");
        if (!mode.equals("sync") && !mode.equals("async")) {
            throw invalid("mode must be 'sync' or 'async', got '" + mode + "'");
        }
        Optional<Duration> timeout = Optional.empty();
        if (settings.hasNonNull("timeout")) {
            try {
                timeout = Optional.of(Durations.parse(settings.path("timeout").asText()));
            } catch (IllegalArgumentException e) {
                throw invalid("timeout: " + e.getMessage());
            }
            if (timeout.get().isNegative() || timeout.get().isZero()) {
                throw invalid("timeout must be positive, got " + settings.path("timeout").asText());
            }
        }
        return new HttpAgentSettings(mode.equals("async"), timeout, settings);
    }

    private static AgentException invalid(String message) {
        return AgentException.permanent(INVALID_SETTINGS, message);
    }
}
