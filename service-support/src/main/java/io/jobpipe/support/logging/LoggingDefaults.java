package io.jobpipe.support.logging;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.env.PropertySource;

import java.util.Map;

/**
 * Maps the access log's environment variables onto {@link AccessLogProperties} in every service:
 * {@code LOG_REQUESTS} (default false) and {@code LOG_REQUESTS_EXCLUDED_PATHS} (default {@code /health,/metrics}).
 * A property source below {@code application.yml} (found by the {@link java.util.ServiceLoader}), so a service's
 * file or a test can still set {@code jobpipe.logging.requests.*} directly.
 */
public final class LoggingDefaults implements ApplicationContextConfigurer {
    static final String NAME = "jobpipe-logging-defaults";
    /** Below application.yml (-300), system properties (-200) and environment variables (-100). */
    static final int ORDER = -400;

    static Map<String, Object> properties() {
        return Map.of(
                "jobpipe.logging.requests.enabled", "${LOG_REQUESTS:false}",
                "jobpipe.logging.requests.excluded-paths", "${LOG_REQUESTS_EXCLUDED_PATHS:/health,/metrics}");
    }

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(NAME, properties(), ORDER));
    }
}
