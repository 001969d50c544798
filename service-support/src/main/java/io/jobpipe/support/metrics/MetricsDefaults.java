package io.jobpipe.support.metrics;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.PropertySource;

import java.util.Map;

/**
 * The metrics settings every service shares, applied to each application context before its configuration is
 * read. They rank below every {@code application.yml} (order {@value #ORDER}; application files load at -300), so a
 * service or an environment may still override them.
 * <ul>
 *   <li>{@code endpoints.metrics.enabled=false}: Micronaut's JSON metrics endpoint would claim {@code /metrics},
 *       where {@link PrometheusScrapeController} serves the Prometheus text;</li>
 *   <li>{@code endpoints.prometheus.enabled=false}: the same scrape at a second path would only confuse.</li>
 * </ul>
 */
@ContextConfigurer
public final class MetricsDefaults implements ApplicationContextConfigurer {
    static final String NAME = "jobpipe-metrics-defaults";
    static final int ORDER = -1000;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(NAME, Map.of(
                "endpoints.metrics.enabled", false,
                "endpoints.prometheus.enabled", false), ORDER));
    }
}
