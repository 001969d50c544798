package io.jobpipe.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. {@code requestId} and {@code traceId} let an operator find the request's
 * log line and trace from what the sender saw.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      String requestId, String traceId) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** RFC 9457 §4.2: a problem with no more specific type than its HTTP status. */
    public static final String BLANK_TYPE = "about:blank";
}
