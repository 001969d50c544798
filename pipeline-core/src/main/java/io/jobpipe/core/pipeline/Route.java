package io.jobpipe.core.pipeline;

import java.util.Objects;

/** Sends jobs from a connection and event type ({@code *} matches any) to a pipeline. */
public record Route(String connection, String eventType, String pipeline) {
    public static final String ANY = "*";

    public Route {
        connection = connection == null ? ANY : connection;
        eventType = eventType == null ? ANY : eventType;
        Objects.requireNonNull(pipeline, "pipeline");
    }

    public boolean matches(String jobConnection, String jobEventType) {
        return (connection.equals(ANY) || connection.equals(jobConnection))
                && (eventType.equals(ANY) || eventType.equals(jobEventType));
    }
}
