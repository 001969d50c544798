package io.jobpipe.ingest.http;

import io.jobpipe.support.http.ProblemType;

/**
 * Every kind of problem ingest answers with. The {@code type} URI is stable so senders and tests can
 * branch on it; the title is the same for every occurrence, the detail says what happened this time.
 */
public enum IngestProblemType implements ProblemType {
    UNKNOWN_CONNECTION(404, "unknown-connection", "Unknown connection"),
    SIGNATURE_REJECTED(401, "signature-rejected", "Signature rejected"),
    EMPTY_BODY(400, "empty-body", "Empty body"),
    INVALID_JSON(400, "invalid-json", "Body is not JSON"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    BROKER_UNAVAILABLE(503, "broker-unavailable", "Event log unavailable"),
    INVALID_DELIVERY_FIELD(400, "invalid-delivery-field", "Invalid delivery id or event type"),
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    OVERLOADED(503, "overloaded", "Ingest is overloaded"),
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request headers too large"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    BAD_REQUEST(400, "bad-request", "Bad request"),
    CALLBACK_TOKEN_INVALID(401, "callback-token-invalid", "Callback token not valid"),
    CALLBACK_EXPIRED(404, "callback-expired", "Callback expired"),
    INVALID_CALLBACK(400, "invalid-callback", "Invalid callback body"),
    CALLBACKS_DISABLED(404, "callbacks-disabled", "Callbacks are not enabled"),
    INTERNAL_ERROR(500, "internal-error", "Internal error");

    private final int status;
    private final String slug;
    private final String title;

    IngestProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }

    /** The type for an error the framework raised with only a status; null when no type fits. */
    public static IngestProblemType forFrameworkStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 431 -> HEADERS_TOO_LARGE;
            case 500 -> INTERNAL_ERROR;
            default -> null;
        };
    }
}
