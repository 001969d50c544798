package io.jobpipe.status.store;

import io.jobpipe.core.event.JobEvent;

import java.util.Objects;

/**
 * A job event on its way into the read model.
 *
 * @param json    the event exactly as it was received; stored as the history's body and sent over SSE
 * @param traceId trace id from the record's {@code traceparent}, or null
 * @param origin  where it came from ("topic-partition@offset"), for log lines only
 */
public record IncomingEvent(JobEvent event, String json, String traceId, String origin) {
    public IncomingEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(json, "json");
    }

    /** The JSON type name, which is also the SSE event name. */
    public String type() {
        return event.getClass().getSimpleName();
    }
}
