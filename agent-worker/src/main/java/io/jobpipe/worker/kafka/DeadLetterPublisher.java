package io.jobpipe.worker.kafka;

import io.jobpipe.core.kafka.DeadLetterHeaders;
import io.jobpipe.core.tracing.KafkaTraceHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Future;

/**
 * Copies a record the worker cannot read, byte for byte with its original headers, to the stage's
 * {@code jobpipe.stage.<stage>.dlq}, adding {@link DeadLetterHeaders} that say where it came from and why.
 */
public final class DeadLetterPublisher {
    private final Producer<byte[], byte[]> producer;
    private final Clock clock;

    public DeadLetterPublisher(Producer<byte[], byte[]> producer, Clock clock) {
        this.producer = producer;
        this.clock = clock;
    }

    public Future<RecordMetadata> publish(String deadLetterTopic, ConsumerRecord<byte[], byte[]> original, Throwable error) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null, original.key(), original.value());
        Headers headers = record.headers();
        for (Header header : original.headers()) {
            headers.add(header.key(), header.value());
        }
        put(headers, DeadLetterHeaders.ORIGINAL_TOPIC, original.topic());
        put(headers, DeadLetterHeaders.ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(headers, DeadLetterHeaders.ORIGINAL_OFFSET, Long.toString(original.offset()));
        put(headers, DeadLetterHeaders.REASON, DeadLetterHeaders.REASON_UNDESERIALIZABLE);
        put(headers, DeadLetterHeaders.ERROR_CLASS, error.getClass().getName());
        put(headers, DeadLetterHeaders.ERROR_MESSAGE, String.valueOf(error.getMessage()));
        put(headers, DeadLetterHeaders.ATTEMPTS, original.deliveryCount().map(String::valueOf).orElse("1"));
        put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
        put(headers, DeadLetterHeaders.DEAD_LETTERED_BY, "agent-worker");
        String traceId = KafkaTraceHeaders.traceIdOf(KafkaTraceHeaders.traceparent(original.headers()));
        if (traceId != null) {
            put(headers, DeadLetterHeaders.TRACE_ID, traceId);
        }
        return producer.send(record);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
