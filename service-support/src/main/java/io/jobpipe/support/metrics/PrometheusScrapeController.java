package io.jobpipe.support.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /metrics}: every meter of the service in the Prometheus text exposition format (version 0.0.4).
 * A plain controller rather than Micronaut's {@code prometheus} management endpoint, so the path is the one
 * Prometheus scrapes by default, it is anonymous, and it stays on where a service turns its management endpoints
 * off. Micronaut's own {@code /metrics} management endpoint (JSON) would claim the same path, so
 * {@link MetricsDefaults} turns it off.
 * Formatting the scrape takes a few milliseconds, so it runs on the blocking pool, never on an event loop.
 */
@Controller(PrometheusScrapeController.PATH)
public final class PrometheusScrapeController {
    public static final String PATH = "/metrics";
    /** The classic text format every Prometheus version reads; the registry writes it for this content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusScrapeController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get(produces = {MediaType.TEXT_PLAIN, MediaType.ALL})
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape(CONTENT_TYPE)).contentType(CONTENT_TYPE);
    }
}
