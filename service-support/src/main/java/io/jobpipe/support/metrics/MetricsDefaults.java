package io.jobpipe.support.metrics;

import java.util.Map;

/**
 * The metrics settings every service shares, part of service-support's shared defaults (below every
 * {@code application.yml}, so a service or an environment may still override them):
 * <ul>
 *   <li>{@code endpoints.metrics.enabled=false}: Micronaut's JSON metrics endpoint would claim {@code /metrics},
 *       where {@link PrometheusScrapeController} serves the Prometheus text;</li>
 *   <li>{@code endpoints.prometheus.enabled=false}: the same scrape at a second path would only confuse.</li>
 * </ul>
 */
public final class MetricsDefaults {
    private MetricsDefaults() {
    }

    public static Map<String, Object> properties() {
        return Map.of(
                "endpoints.metrics.enabled", false,
                "endpoints.prometheus.enabled", false);
    }
}
