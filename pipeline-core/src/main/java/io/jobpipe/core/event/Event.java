package io.jobpipe.core.event;

import java.time.Instant;

/**
 * The envelope every jobpipe event shares. The JSON {@code type} property is written by
 * Jackson from each sealed hierarchy's {@code @JsonTypeInfo}.
 */
public interface Event {
    String eventId();

    String jobId();

    Instant occurredAt();
}
