package io.jobpipe.core.kafka;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The headers a component adds to a record it could not read when it copies it to {@code jobpipe.poison}: the
 * value and key are the original bytes, the original headers are kept, and these say where it came from and why
 * it was refused. Every value is UTF-8 text, so {@code kcat -C -t jobpipe.poison -f '%h %s\n'} shows it all.
 */
public final class PoisonHeaders {
    public static final String ORIGINAL_TOPIC = "jobpipe.poison.original.topic";
    public static final String ORIGINAL_PARTITION = "jobpipe.poison.original.partition";
    public static final String ORIGINAL_OFFSET = "jobpipe.poison.original.offset";
    /** The exception class that refused the record, e.g. {@code org.apache.kafka.common.errors.SerializationException}. */
    public static final String ERROR_CLASS = "jobpipe.poison.error.class";
    public static final String ERROR_MESSAGE = "jobpipe.poison.error.message";
    /** The component that refused it: {@code orchestrator-service}, {@code agent-worker}, {@code status-service}. */
    public static final String REFUSED_BY = "jobpipe.poison.by";
    /** When it was refused, ISO-8601 UTC. */
    public static final String REFUSED_AT = "jobpipe.poison.at";

    /** The longest error message kept: a deserializer may quote the whole record in its message. */
    static final int MAX_MESSAGE_CHARS = 1_000;

    private PoisonHeaders() {
    }

    /** Adds the provenance headers to {@code headers} (a copy of the original record's). */
    public static Headers add(Headers headers, String topic, int partition, long offset, Exception error,
                              String refusedBy, Instant at) {
        put(headers, ORIGINAL_TOPIC, topic);
        put(headers, ORIGINAL_PARTITION, String.valueOf(partition));
        put(headers, ORIGINAL_OFFSET, String.valueOf(offset));
        put(headers, ERROR_CLASS, error.getClass().getName());
        String message = String.valueOf(error.getMessage());
        put(headers, ERROR_MESSAGE, message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "…");
        put(headers, REFUSED_BY, refusedBy);
        put(headers, REFUSED_AT, at.toString());
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
