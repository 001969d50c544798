package io.jobpipe.ingest.webhook;

import io.jobpipe.ingest.request.HeaderLookup;
import io.opentelemetry.context.Context;

/**
 * One webhook as it arrived, free of the HTTP framework.
 *
 * @param body         the raw bytes, exactly as sent (signatures are over these), possibly empty
 * @param traceContext the request's server span, carried into the Kafka record's headers
 */
public record WebhookDelivery(String connection, HeaderLookup headers, byte[] body, String requestId,
                              Context traceContext) {
}
