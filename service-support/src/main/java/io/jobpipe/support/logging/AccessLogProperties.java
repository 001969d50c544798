package io.jobpipe.support.logging;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.util.List;

/**
 * The access log ({@code jobpipe.logging.requests.*}; {@link LoggingDefaults} maps {@code LOG_REQUESTS} and
 * {@code LOG_REQUESTS_EXCLUDED_PATHS} onto it).
 *
 * @param enabled       one line per request; off unless asked for
 * @param excludedPaths paths left out, each with everything below it ({@code /health} covers {@code /health/liveness})
 */
@ConfigurationProperties("jobpipe.logging.requests")
public record AccessLogProperties(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "/health,/metrics") List<String> excludedPaths) {

    public AccessLogProperties {
        excludedPaths = excludedPaths == null ? List.of() : excludedPaths.stream()
                .map(String::strip).filter(path -> !path.isEmpty()).toList();
    }

    /** True when a request to {@code path} gets an access log line. */
    public boolean logs(String path) {
        if (!enabled) {
            return false;
        }
        for (String excluded : excludedPaths) {
            if (path.equals(excluded) || path.startsWith(excluded.endsWith("/") ? excluded : excluded + "/")) {
                return false;
            }
        }
        return true;
    }
}
