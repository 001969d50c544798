package io.jobpipe.ingest.callback;

import io.opentelemetry.context.Context;

/**
 * One callback request as the intake sees it, free of the HTTP framework.
 *
 * @param token        the path's token, unverified
 * @param heartbeat    {@code POST /callbacks/<token>/heartbeat} rather than the result
 * @param body         the raw body, possibly empty
 * @param traceContext the request's server span, carried into the Kafka record
 */
public record CallbackDelivery(String token, boolean heartbeat, byte[] body, String requestId, Context traceContext) {
}
