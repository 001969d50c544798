package io.jobpipe.ingest.metrics;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Counts every callback request by outcome ({@code jobpipe_ingest_callbacks_total{outcome}}), including those the
 * front door or the framework answer before the controller runs: their outcome comes from the status.
 */
@ServerFilter("/callbacks/**")
public final class CallbackMetricsFilter implements Ordered {
    static final String OUTCOME = "jobpipe.callback.outcome";

    private final IngestMetrics metrics;

    public CallbackMetricsFilter(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    /** Records what the intake decided, for the response filter to count. */
    public static void outcome(HttpRequest<?> request, String label) {
        request.setAttribute(OUTCOME, label);
    }

    @Override
    public int getOrder() {
        return WebhookMetricsFilter.ORDER;
    }

    @ResponseFilter
    public void onResponse(HttpRequest<?> request, MutableHttpResponse<?> response) {
        metrics.callback(request.getAttribute(OUTCOME, String.class).orElseGet(() -> byStatus(response.code())));
    }

    /** The outcome of an answer the intake did not give: a bounded set of labels, whatever the status. */
    static String byStatus(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "invalid_token";
            case 404, 405 -> "not_found";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "error" : "other";
        };
    }
}
