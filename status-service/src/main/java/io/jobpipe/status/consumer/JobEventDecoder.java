package io.jobpipe.status.consumer;

import io.jobpipe.core.event.JobEvent;
import io.jobpipe.core.kafka.Topic;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import io.jobpipe.status.store.IncomingEvent;
import io.jobpipe.support.logging.LogContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a {@code jobpipe.job.events} record into an {@link IncomingEvent}, or rejects it with a log line.
 * Values are read as bytes and decoded here, so a record that is not a valid JobEvent can never make
 * {@code poll()} throw and stall its partition: it is copied to {@code jobpipe.poison}, skipped, and its offset
 * committed with its batch.
 * A rejection's line carries the record's key as {@code jobId} (job events are keyed by their job).
 */
public final class JobEventDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(JobEventDecoder.class);

    /** Where a record that is not a usable JobEvent goes before it is skipped. */
    @FunctionalInterface
    public interface Unreadable {
        void copy(ConsumerRecord<String, byte[]> record, Exception reason);
    }

    private final Topic<JobEvent> topic;
    private final Unreadable unreadable;

    public JobEventDecoder(Topic<JobEvent> topic, Unreadable unreadable) {
        this.topic = topic;
        this.unreadable = unreadable;
    }

    public Optional<IncomingEvent> decode(ConsumerRecord<String, byte[]> record) {
        try (LogContext ignored = LogContext.open().jobId(record.key())
                .traceId(KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(record.headers())))) {
            return decodeValue(record);
        }
    }

    private Optional<IncomingEvent> decodeValue(ConsumerRecord<String, byte[]> record) {
        String origin = origin(record);
        Checked checked = check(topic, record);
        if (checked.rejected() != null) {
            if (record.value() == null) {
                LOG.warn("skipping {}: no value (key {})", origin, record.key());
            } else {
                LOG.error("skipping {}: {} (key {})", origin, checked.why(), record.key());
            }
            return skip(record, checked.rejected());
        }
        JobEvent event = checked.event();
        if (record.key() != null && !record.key().equals(event.jobId())) {
            LOG.warn("{}: key {} differs from the event's jobId {}; projecting it under the jobId",
                    origin, record.key(), event.jobId());
        }
        return Optional.of(incoming(record, event));
    }

    /**
     * The event the projection would take from {@code record}, or empty when it would skip it; without a word (the
     * projection's own decoding logs it and copies it to the poison topic). For the live streams' reader of the same
     * topic, so a stream never shows an event that the read model refuses.
     */
    public static Optional<IncomingEvent> usable(Topic<JobEvent> topic, ConsumerRecord<String, byte[]> record) {
        Checked checked = check(topic, record);
        return checked.rejected() != null ? Optional.empty() : Optional.of(incoming(record, checked.event()));
    }

    /** A record's event, or why the read model cannot take it: the poison copy's reason and the log's words. */
    private record Checked(JobEvent event, SerializationException rejected, String why) {
        static Checked rejected(SerializationException reason, String why) {
            return new Checked(null, reason, why);
        }
    }

    private static Checked check(Topic<JobEvent> topic, ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Checked.rejected(new SerializationException("no value"), "no value");
        }
        JobEvent event;
        try {
            event = topic.valueSerde().deserializer().deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            return Checked.rejected(e, "not a JobEvent: " + e.getMessage());
        }
        String problem = missingField(event);
        return problem != null ? Checked.rejected(new SerializationException("JobEvent " + problem), "JobEvent " + problem)
                : new Checked(event, null, null);
    }

    private static IncomingEvent incoming(ConsumerRecord<String, byte[]> record, JobEvent event) {
        String traceId = KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(record.headers()));
        return new IncomingEvent(event, new String(record.value(), StandardCharsets.UTF_8), traceId, origin(record));
    }

    private static String origin(ConsumerRecord<String, byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    /** Copies the record to the poison topic (which may throw: then the batch is retried), and skips it. */
    private Optional<IncomingEvent> skip(ConsumerRecord<String, byte[]> record, Exception reason) {
        unreadable.copy(record, reason);
        return Optional.empty();
    }

    /** What makes the event unusable for the read model, or null when it is fine. */
    static String missingField(JobEvent event) {
        if (event == null) {
            return "is null";
        }
        if (event.jobId() == null || event.jobId().isBlank()) {
            return "has no jobId";
        }
        if (event.seq() < 1) {
            return "has seq " + event.seq() + " (seq starts at 1)";
        }
        if (event.eventId() == null || event.eventId().isBlank()) {
            return "has no eventId";
        }
        if (event.occurredAt() == null) {
            return "has no occurredAt";
        }
        return null;
    }
}
