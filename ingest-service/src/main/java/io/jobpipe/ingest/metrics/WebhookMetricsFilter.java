package io.jobpipe.ingest.metrics;

import io.jobpipe.ingest.http.RequestAttributes;
import io.jobpipe.support.logging.RequestLogFilter;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Counts and times every webhook request, including those the framework answers before the controller runs
 * (413 for a body over the limit, 415) or the front door refuses: the request filter marks its arrival, the response
 * filter records it.
 */
@ServerFilter("/webhooks/**")
public final class WebhookMetricsFilter implements Ordered {
    /** Before {@link io.jobpipe.ingest.limits.FrontDoorFilter}, so its refusals (404, 413, 415, 429, 503) count. */
    public static final int ORDER = RequestLogFilter.ORDER + 10;
    private static final String STARTED_NANOS = "jobpipe.metrics.startedNanos";

    private final IngestMetrics metrics;

    public WebhookMetricsFilter(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @RequestFilter
    public void onRequest(HttpRequest<?> request) {
        request.setAttribute(STARTED_NANOS, System.nanoTime());
        metrics.requestStarted();
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        // Only requests seen arriving are finished, so the in-flight gauge cannot drift below zero.
        request.getAttribute(STARTED_NANOS, Long.class).ifPresent(started -> metrics.requestFinished(
                RequestAttributes.connection(request), response.code(), System.nanoTime() - started));
    }
}
